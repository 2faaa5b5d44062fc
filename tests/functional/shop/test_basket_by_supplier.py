"""The basket grouped by supplier: each supplier's lines, its shipping, what is left to ship free, the total to pay."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

pytestmark = pytest.mark.django_db


def add(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def groups(page):
    return re.findall(r'<section class="supplier-group".*?</section>', page, re.S)


@pytest.fixture
def two_suppliers():
    tea_house = CertifiedPartnerFactory(
        name="桑植白茶合作社", shipping_rate=Decimal("8.00"), free_shipping_threshold=Decimal("100.00")
    )
    bacon_works = CertifiedPartnerFactory(
        name="凤凰腊肉厂", shipping_rate=Decimal("12.00"), free_shipping_threshold=None
    )
    return {
        "tea": certified_product(partner=tea_house, title="桑植白茶 明前", price="88.00"),
        "bacon": certified_product(partner=bacon_works, title="湘西腊肉 五花", price="66.00"),
        "tea_bag": certified_product(partner=tea_house, title="桑植白茶 袋泡茶", price="5.00"),
    }


def test_each_supplier_has_its_own_group_with_its_shipping_and_free_shipping_gap(client, two_suppliers):
    client.force_login(UserFactory())
    add(client, two_suppliers["tea"])
    add(client, two_suppliers["bacon"])
    add(client, two_suppliers["tea_bag"])

    page = client.get(reverse("basket:summary")).content.decode()
    tea_group, bacon_group = groups(page)
    assert "桑植白茶合作社" in tea_group and "明前" in tea_group and "袋泡茶" in tea_group
    assert "腊肉" not in tea_group
    # 88 + 5 = 93 of the 100 that ship free.
    assert "运费 ¥8.00" in tea_group and "再买¥7.00包邮" in tea_group
    assert "凤凰腊肉厂" in bacon_group and "运费 ¥12.00" in bacon_group
    assert "包邮" not in bacon_group  # it never ships free, so no gap is promised
    # 93 + 66 of goods, 8 + 12 of shipping.
    assert re.search(r'id="basket-grand-total">¥179.00<', page)
    assert "含运费 ¥20.00" in page


def test_reaching_the_threshold_makes_the_suppliers_shipping_free(client, two_suppliers):
    client.force_login(UserFactory())
    add(client, two_suppliers["tea"])
    add(client, two_suppliers["tea_bag"], quantity=3)

    (tea_group,) = groups(client.get(reverse("basket:summary")).content.decode())
    assert "包邮" in tea_group
    assert "再买" not in tea_group and "运费 ¥8.00" not in tea_group


def test_the_basket_bar_leads_to_checkout(client, two_suppliers):
    client.force_login(UserFactory())
    add(client, two_suppliers["tea"])
    page = client.get(reverse("basket:summary")).content.decode()
    assert re.search(r'<a href="/shop/checkout/"[^>]*id="basket-checkout">去结算</a>', page)


def test_grouping_by_supplier_stays_within_the_basket_pages_bound(client, two_suppliers, django_assert_max_num_queries):
    from tests.functional.shop.test_basket_page import BASKET_PAGE_QUERIES

    for product in two_suppliers.values():
        add(client, product)
    client.get(reverse("basket:summary"))
    with django_assert_max_num_queries(BASKET_PAGE_QUERIES):
        page = client.get(reverse("basket:summary")).content.decode()
    assert len(groups(page)) == 2
