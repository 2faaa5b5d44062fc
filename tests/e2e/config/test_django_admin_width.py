"""Django's admin fits a 1366 px desktop: pages with a row of many inline columns (a product's attribute values, an
order's lines) scroll those rows in their own box instead of widening the page."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_product_and_order_pages_in_django_admin_fit_a_desktop_screen(live_server, page):
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (certified_product(title="桑植白茶 明前"), 2))).order
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    for url in (reverse("admin:catalogue_product_add"), reverse("admin:order_order_change", args=[order.pk])):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.locator(".inline-group").count() > 0
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366, url
