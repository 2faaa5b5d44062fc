"""The buyer's account pages: Oscar's pages extended by their blocks, not copied."""

import pytest
from django.urls import reverse

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db


def test_the_order_page_shows_the_status_label_and_oscars_lines_totals_and_address_but_not_the_stored_code(client):
    buyer = UserFactory()
    tea = certified_product(partner=CertifiedPartnerFactory(name="桑植白茶合作社"), title="桑植白茶 明前")
    order = place(buyer, basket_for(buyer, (tea, 2))).order
    client.force_login(buyer)
    html = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert order.status == "pending"
    assert 'class="order-status">待付款</strong>' in html
    assert "<p>pending</p>" not in html
    # Oscar's own content of the page: the line, the order total, the re-order form and the address.
    assert "桑植白茶 明前" in html
    assert f'id="order_form_{order.id}"' in html
    assert order.shipping_address.line1 in html


def test_every_account_page_lists_oscars_tabs_and_the_followed_regions(client):
    client.force_login(UserFactory())
    for url in (reverse("customer:profile-view"), reverse("customer:order-list"), "/following/"):
        html = client.get(url).content.decode()
        assert reverse("customer:address-list") in html, url
        assert 'href="/following/"' in html, url
    html = client.get("/following/").content.decode()
    assert 'href="/following/" class="nav-link active"' in html
