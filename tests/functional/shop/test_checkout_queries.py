import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.indexing import paused
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.functional.shop.test_checkout import ADDRESS

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, getattr(response, "url", ""))
    return len(captured)


def fill_basket(client, lines):
    with paused():
        for i in range(lines):
            # Every other line comes from another supplier, so the shipping per supplier is exercised too.
            product = certified_product(partner=CertifiedPartnerFactory(), title=f"桑植白茶{i}")
            client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})


def page_counts(lines):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory())
    fill_basket(client, lines)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:payment-method"), {"method": "transfer"})
    return {
        name: queries_for(client, reverse(name))
        for name in ("basket:summary", "checkout:shipping-address", "checkout:payment-method", "checkout:preview")
    }


def test_the_basket_and_checkout_pages_do_not_grow_with_the_number_of_lines():
    few, many = page_counts(2), page_counts(12)
    assert few == many, (few, many)
    assert max(many.values()) <= 40
