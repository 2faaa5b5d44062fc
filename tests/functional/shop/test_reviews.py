"""Reviews after receipt: only a buyer who confirmed receipt reviews, 1–5 stars with photos; the supplier answers once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order.services import order_confirm_receipt, shipment_ship, transfer_mark_received
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, png_upload
from tests.integration.shop.support import basket_for, place

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    other_staff = UserFactory(role="supplier")
    CertifiedPartnerFactory(name="凤凰腊肉厂").users.add(other_staff)
    tea = certified_product(partner=partner, title="桑植白茶 明前")
    return {"buyer": UserFactory(), "staff": staff, "other_staff": other_staff, "tea": tea}


def bought(shop, receive=True):
    buyer = shop["buyer"]
    order = place(buyer, basket_for(buyer, (shop["tea"], 1))).order
    transfer_mark_received(order=order, user=UserFactory(role="operator", is_staff=True))
    shipment_ship(shipment=order.shipments.get(), user=shop["staff"], carrier="顺丰速运", tracking_number="SF1")
    if receive:
        order_confirm_receipt(order=order, user=buyer)
    return order


def add_url(product):
    return reverse("catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk})


def post_review(client, product, **data):
    fields = {"score": "5", "body": "茶汤清亮，回甘明显。", "photos": [png_upload("茶汤.png")], **data}
    return client.post(add_url(product), fields)


def approve(review):
    review.status = ProductReview.APPROVED
    review.save()


def test_a_buyer_who_has_not_confirmed_receipt_cannot_review(client, shop):
    bought(shop, receive=False)
    client.force_login(shop["buyer"])
    response = post_review(client, shop["tea"])
    assert response.status_code == 302
    assert not ProductReview.objects.exists()
    client.force_login(UserFactory())
    post_review(client, shop["tea"])
    assert not ProductReview.objects.exists()


def test_after_receipt_the_buyer_reviews_with_stars_text_and_a_photo(client, shop):
    order = bought(shop)
    client.force_login(shop["buyer"])
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert add_url(shop["tea"]) in page
    form = client.get(add_url(shop["tea"])).content.decode()
    assert "★★★★★" in form and 'enctype="multipart/form-data"' in form
    response = post_review(client, shop["tea"])
    assert response.status_code == 302
    review = ProductReview.objects.get()
    assert review.score == 5 and review.user == shop["buyer"] and review.title
    assert review.status == ProductReview.FOR_MODERATION
    photo = review.photos.get()
    assert photo.file.name.startswith("reviews/") and photo.file_name == "茶汤.png"
    assert client.get(reverse("shop:review-photo", kwargs={"pk": photo.pk})).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("shop:review-photo", kwargs={"pk": photo.pk})).status_code == 404
    assert post_review(client, shop["tea"]).status_code == 302
    assert ProductReview.objects.count() == 1


def test_an_approved_review_shows_its_stars_escaped_text_and_rating_on_the_product(client, shop):
    bought(shop)
    client.force_login(shop["buyer"])
    post_review(client, shop["tea"], score="4", body="<script>alert(1)</script>好喝")
    review = ProductReview.objects.get()
    approve(review)
    client.logout()
    html = client.get(shop["tea"].get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;好喝" in html
    # Oscar's stars beside the price, with the number of approved reviews.
    assert 'class="star-rating Four"' in html
    assert client.get(reverse("shop:review-photo", kwargs={"pk": review.photos.get().pk})).status_code == 200


def test_zero_stars_and_a_file_that_is_not_a_picture_are_refused(client, shop):
    bought(shop)
    client.force_login(shop["buyer"])
    response = post_review(client, shop["tea"], score="0")
    assert response.status_code == 200 and not ProductReview.objects.exists()
    fake = SimpleUploadedFile("茶.png", b"not a picture", content_type="image/png")
    response = post_review(client, shop["tea"], photos=[fake])
    assert response.status_code == 200 and "不是可读取的" in response.content.decode()
    assert not ProductReview.objects.exists()


def test_the_supplier_answers_once_and_others_cannot(client, shop):
    bought(shop)
    client.force_login(shop["buyer"])
    post_review(client, shop["tea"])
    review = ProductReview.objects.get()
    approve(review)
    url = reverse("review-answers:review-answer", kwargs={"pk": review.pk})
    client.force_login(shop["other_staff"])
    assert "茶汤清亮" not in client.get(reverse("review-answers:review-list")).content.decode()
    assert client.post(url, {"answer": "谢谢"}).status_code == 404
    client.force_login(shop["buyer"])
    assert client.post(url, {"answer": "自问自答"}).status_code == 403
    review.refresh_from_db()
    assert review.supplier_answer == ""
    client.force_login(shop["staff"])
    assert "茶汤清亮" in client.get(reverse("review-answers:review-list")).content.decode()
    client.post(url, {"answer": "感谢您的支持，欢迎再来。"})
    html = client.post(url, {"answer": "第二次答复"}, follow=True).content.decode()
    assert "只能答复一次" in html
    review.refresh_from_db()
    assert review.supplier_answer == "感谢您的支持，欢迎再来。"
    client.logout()
    assert "感谢您的支持，欢迎再来。" in client.get(shop["tea"].get_absolute_url()).content.decode()
