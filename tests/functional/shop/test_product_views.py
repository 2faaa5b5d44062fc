import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, certified_product
from tests.tasks import run_due_tasks

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


def product_url(product):
    return reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk})


def test_each_view_of_a_product_page_adds_to_its_view_count_through_the_task_queue(
    client, django_capture_on_commit_callbacks
):
    viewed_twice = certified_product(title="古丈毛尖")
    viewed_once = certified_product(title="保靖黄金茶")
    ProductRecord.objects.create(product=viewed_once, num_views=5)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(product_url(viewed_twice))
        client.get(product_url(viewed_twice))
        client.get(product_url(viewed_once))
    # The pages were answered without writing the counts: a worker adds them.
    assert not ProductRecord.objects.filter(product=viewed_twice).exists()
    assert ProductRecord.objects.get(product=viewed_once).num_views == 5
    assert run_due_tasks() == 3

    assert ProductRecord.objects.get(product=viewed_twice).num_views == 2
    assert ProductRecord.objects.get(product=viewed_once).num_views == 6


def test_a_signed_in_viewer_is_counted_with_the_product(client, django_capture_on_commit_callbacks):
    UserRecord = get_model("analytics", "UserRecord")
    UserProductView = get_model("analytics", "UserProductView")
    product = certified_product(title="古丈毛尖")
    buyer = UserFactory()
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(product_url(product))
    run_due_tasks()
    assert UserRecord.objects.get(user=buyer).num_product_views == 1
    assert UserProductView.objects.filter(user=buyer, product=product).count() == 1
