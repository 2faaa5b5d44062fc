"""Checkout's preview as one column a phone reads: each supplier's lines with its shipping, the totals, and 下订单 with
the total in the bar at the bottom; every word of it in Chinese."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.functional.i18n.test_chinese_crawl import Page, english_in
from tests.functional.shop.test_checkout import add, to_payment_method

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview(client):
    client.force_login(UserFactory(email="preview-buyer@example.cn"))
    tea_house = CertifiedPartnerFactory(
        name="桑植县白茶产业合作社", shipping_rate=Decimal("8.00"), free_shipping_threshold=Decimal("99.00")
    )
    bacon_works = CertifiedPartnerFactory(name="凤凰县腊味食品有限公司", shipping_rate=Decimal("10.00"))
    add(client, certified_product(partner=tea_house, title="桑植白茶 礼盒装", price="88.00"), 2)
    add(client, certified_product(partner=bacon_works, title="湘西腊肉", price="66.00"))
    to_payment_method(client)
    response = client.post(reverse("checkout:payment-method"), {"method": "transfer"})
    assert response.url == reverse("checkout:preview")
    return client.get(reverse("checkout:preview")).content.decode()


def sections(page, css_class):
    return re.findall(rf'<div class="{css_class}"[^>]*>(.*?)</ul>', page, re.S)


def test_the_preview_groups_the_lines_by_supplier_with_each_suppliers_shipping(preview):
    groups = sections(preview, "supplier-group")
    assert len(groups) == 2
    tea, bacon = sorted(groups, key=lambda group: "腊肉" in group)
    assert "桑植县白茶产业合作社" in tea and "包邮" in tea  # 2 × ¥88 is past its ¥99 threshold
    assert "桑植白茶 礼盒装" in tea and "× 2" in tea and "¥176.00" in tea
    assert "凤凰县腊味食品有限公司" in bacon and "运费 ¥10.00" in bacon
    assert "湘西腊肉" in bacon and "× 1" in bacon and "¥66.00" in bacon


def test_the_place_order_button_sits_with_the_order_total_in_the_bar_and_places_the_order(client, preview):
    bar = re.search(
        r'<form method="post" action="/shop/checkout/preview/" id="place_order_form">(.*?)</form>', preview, re.S
    )
    assert bar, "the place-order form"
    assert 'id="place-order-bar"' in bar.group(1)
    assert "订单总计 <strong>¥252.00</strong>" in bar.group(1)  # 176 + 66 + the bacon's ¥10 shipping
    assert re.search(r'<button id="place-order" type="submit"[^>]*>\s*下订单\s*</button>', bar.group(1))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.url == reverse("checkout:thank-you")
    assert Order.objects.get().total_incl_tax == Decimal("252.00")


def test_the_preview_reads_in_chinese(preview):
    page = Page()
    page.feed(preview)
    assert english_in(page.texts) == []
