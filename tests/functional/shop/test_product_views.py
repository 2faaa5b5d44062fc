import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import certified_product

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


def product_url(product):
    return reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk})


def test_each_view_of_a_product_page_adds_to_its_view_count(client):
    viewed_twice = certified_product(title="古丈毛尖")
    viewed_once = certified_product(title="保靖黄金茶")
    ProductRecord.objects.create(product=viewed_once, num_views=5)

    client.get(product_url(viewed_twice))
    client.get(product_url(viewed_twice))
    client.get(product_url(viewed_once))

    assert ProductRecord.objects.get(product=viewed_twice).num_views == 2
    assert ProductRecord.objects.get(product=viewed_once).num_views == 6
