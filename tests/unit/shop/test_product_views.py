import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.catalogue.product_views import flush_product_views, pending_views
from tests.factories import certified_product

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_buffer():
    flush_product_views()
    yield
    flush_product_views()


def product_url(product):
    return reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk})


def test_viewing_a_product_page_writes_nothing_during_the_request(client):
    product = certified_product(title="湘西腊肉")
    client.get(product_url(product))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(product_url(product))
    assert response.status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert not ProductRecord.objects.filter(product=product).exists()
    assert pending_views()[product.pk] == 2


def test_flushed_views_add_up_on_the_products_analytics_record(client):
    viewed_twice = certified_product(title="古丈毛尖")
    viewed_once = certified_product(title="保靖黄金茶")
    ProductRecord.objects.create(product=viewed_once, num_views=5)

    client.get(product_url(viewed_twice))
    client.get(product_url(viewed_twice))
    client.get(product_url(viewed_once))

    assert flush_product_views() == 3
    assert ProductRecord.objects.get(product=viewed_twice).num_views == 2
    assert ProductRecord.objects.get(product=viewed_once).num_views == 6
    assert pending_views() == {}
