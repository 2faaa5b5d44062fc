"""Buyers' reviews are approved or rejected by the platform operator, not only by the administrator."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, certified_product

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    tea = certified_product(title="桑植白茶 明前")
    return ProductReview.objects.create(
        product=tea, user=UserFactory(role="buyer"), score=4, title="茶香浓郁", body="回甘明显，包装很好。"
    )


def moderate(client, review, status):
    data = {"title": review.title, "body": review.body, "score": review.score, "status": status}
    return client.post(reverse("dashboard:reviews-update", kwargs={"pk": review.pk}), data)


def test_the_operator_finds_a_waiting_review_and_approves_it(client, review, django_assert_max_num_queries):
    assert review.status == ProductReview.FOR_MODERATION
    client.force_login(UserFactory(role="operator"))
    menu = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("dashboard:reviews-list") in menu
    with django_assert_max_num_queries(30):
        page = client.get(reverse("dashboard:reviews-list")).content.decode()
    assert "茶香浓郁" in page
    assert moderate(client, review, ProductReview.APPROVED).status_code == 302
    review.refresh_from_db()
    assert review.status == ProductReview.APPROVED
    product_page = client.get(review.product.get_absolute_url()).content.decode()
    assert "回甘明显" in product_page


def test_the_operator_rejects_reviews_from_the_list(client, review):
    client.force_login(UserFactory(role="operator"))
    response = client.post(
        reverse("dashboard:reviews-list"),
        {"action": "update_selected_review_status", "selected_review": [review.pk], "status": ProductReview.REJECTED},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ProductReview.REJECTED


@pytest.mark.parametrize("role", ["buyer", "supplier", "county", "moderator"])
def test_other_roles_are_refused_in_chinese_and_the_review_waits(client, review, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("dashboard:reviews-list"))
    assert response.status_code == 403
    assert "平台运营" in response.content.decode()
    assert moderate(client, review, ProductReview.APPROVED).status_code == 403
    assert client.post(reverse("dashboard:reviews-delete", kwargs={"pk": review.pk})).status_code == 403
    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION


def test_staff_status_alone_moderates_nothing(client, review):
    client.force_login(UserFactory(is_staff=True))
    assert moderate(client, review, ProductReview.APPROVED).status_code == 403
    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION


def review_page(review, product=None):
    product = product or review.product
    return reverse(
        "catalogue:reviews-detail", kwargs={"product_slug": product.slug, "product_pk": product.pk, "pk": review.pk}
    )


@pytest.mark.parametrize("status", ["waiting", "rejected"])
def test_a_review_not_approved_cannot_be_read_or_voted_on_by_others_through_its_address(client, review, status):
    if status == "rejected":
        ProductReview.objects.filter(pk=review.pk).update(status=ProductReview.REJECTED)
    vote = reverse(
        "catalogue:reviews-vote",
        kwargs={"product_slug": review.product.slug, "product_pk": review.product.pk, "pk": review.pk},
    )
    for visitor in (None, UserFactory(role="buyer"), UserFactory(role="supplier")):
        if visitor is not None:
            client.force_login(visitor)
        assert client.get(review_page(review)).status_code == 404
        assert client.post(vote, {"delta": 1}).status_code in (302, 404)
    assert review.votes.count() == 0
    client.force_login(review.user)
    assert "回甘明显" in client.get(review_page(review)).content.decode()
    client.force_login(UserFactory(role="operator"))
    assert "回甘明显" in client.get(review_page(review)).content.decode()


def test_an_approved_review_is_read_only_under_its_own_product(client, review):
    ProductReview.objects.filter(pk=review.pk).update(status=ProductReview.APPROVED)
    assert "回甘明显" in client.get(review_page(review)).content.decode()
    other = certified_product(title="张家界莓茶")
    assert client.get(review_page(review, other)).status_code == 404
