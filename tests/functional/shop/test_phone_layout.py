"""The buyer's shop, phone first: the search bar on every page, two cards a row, facets behind 筛选, no tax jargon."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

pytestmark = pytest.mark.django_db


def product_url(product):
    return reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk})


@pytest.fixture
def tea():
    supplier = CertifiedPartnerFactory(
        name="桑植白茶合作社", shipping_rate=Decimal("8.00"), free_shipping_threshold=Decimal("99.00")
    )
    return certified_product(partner=supplier, title="桑植白茶 明前", price="88.00", stock=12)


def test_every_shop_page_has_the_search_bar_on_top(client, tea):
    for url in (reverse("catalogue:index"), reverse("search:search") + "?q=白茶", product_url(tea), "/shop/basket/"):
        page = client.get(url).content.decode()
        assert 'id="shop-search-bar"' in page, url
        assert "搜索商品" in page


def test_the_catalogue_shows_two_cards_a_row_on_a_phone_and_hides_facets_behind_a_filter_button(client, tea):
    page = client.get(reverse("catalogue:index")).content.decode()
    assert re.search(r'<li class="col-6 [^"]*">', page)
    assert 'id="facet-panel"' in page
    # The button opens the panel by its address, so it works without script too.
    assert re.search(r'<a href="#facet-panel"[^>]*id="facet-open"[^>]*>筛选</a>', page)


def test_the_product_page_has_a_quantity_within_the_stock_and_two_actions(client, tea):
    page = client.get(product_url(tea)).content.decode()
    assert re.search(r'<input type="number"[^>]*name="quantity"[^>]*min="1" max="12"', page)
    assert len(re.findall(r'name="quantity"', page)) == 1
    assert "库存 12 件" in page
    assert 'id="buy-bar"' in page
    assert "加入购物车" in page and "立即购买" in page


def test_the_product_page_shows_no_tax_or_upc_to_buyers(client, tea):
    tea.upc = "6901234567892"
    tea.save()
    page = client.get(product_url(tea)).content.decode()
    for jargon in ("不含税", "含税", "税", "UPC", "6901234567892", "商品类型"):
        assert jargon not in page, jargon


def test_the_product_page_estimates_the_suppliers_shipping(client, tea):
    page = client.get(product_url(tea)).content.decode()
    estimate = re.search(r'id="shipping-estimate">(.*?)</p>', page, re.S).group(1)
    assert "运费 ¥8.00，满 ¥99.00 包邮" in estimate
    assert "桑植白茶合作社" in estimate


def test_a_supplier_that_never_charges_shows_free_shipping(client):
    product = certified_product(partner=CertifiedPartnerFactory(shipping_rate=Decimal("0.00")), title="保靖黄金茶")
    page = client.get(product_url(product)).content.decode()
    assert "包邮" in re.search(r'id="shipping-estimate">(.*?)</p>', page, re.S).group(1)


def test_buy_now_adds_the_quantity_and_goes_on_to_checkout(client, tea):
    client.force_login(UserFactory())
    response = client.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 3, "buy_now": "立即购买"})
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:index")
    basket = client.get("/shop/basket/").context["basket"]
    assert basket.num_items == 3


def test_more_than_the_stock_is_refused_and_nothing_is_added(client, tea):
    client.force_login(UserFactory())
    client.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 13, "buy_now": "立即购买"}, follow=True)
    basket = client.get("/shop/basket/").context["basket"]
    assert basket.num_items == 0
