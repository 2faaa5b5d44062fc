"""The basket page's content comes from the cache on a second visit; its forms still post, with the visitor's token."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories import CertifiedPartnerFactory, certified_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_buyer_changes_a_quantity_removes_a_line_and_tries_a_voucher_on_a_basket_page_served_from_the_cache(
    live_server, page
):
    partner = CertifiedPartnerFactory(
        name="桑植白茶合作社", shipping_rate=Decimal("10.00"), free_shipping_threshold=None
    )
    tea = certified_product(partner=partner, title="桑植白茶", price="40.00", stock=10)
    honey = certified_product(partner=partner, title="龙山蜂蜜", price="25.00", stock=10)
    for product in (tea, honey):
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(live_server.url + "/shop/basket/")
    page.goto(live_server.url + "/shop/basket/")  # unchanged: the content comes from the cache
    expect(page.locator("#basket-grand-total")).to_contain_text("¥75.00")

    # 更新: the quantity is sent with the form's token and the page shows the new figures.
    tea_line = page.locator(".basket-line", has_text="桑植白茶")
    tea_line.locator("input[name$='-quantity']").fill("3")
    tea_line.get_by_role("button", name="更新").click()
    expect(page.locator("#basket-grand-total")).to_contain_text("¥155.00")  # 3 × 40 + 25, and 10 of shipping
    Line = get_model("basket", "Line")
    assert Line.objects.get(product=tea).quantity == 3

    # 移除 on the other line, as Oscar's basket script does it: tick the line's DELETE box and submit the form.
    page.reload()
    page.locator(".basket-line", has_text="龙山蜂蜜").get_by_role("link", name="移除").click()
    expect(page.locator("#basket_formset")).not_to_contain_text("龙山蜂蜜")
    assert not Line.objects.filter(product=honey).exists()

    # The voucher box posts too: an unknown code is refused by name, not as a forged form.
    page.reload()
    page.locator("#voucher_form_link a").click()
    page.locator("#voucher_form input[name=code]").fill("NOSUCHCODE")
    page.locator("#voucher_form button[type=submit]").click()
    page.wait_for_load_state()
    assert "NOSUCHCODE" in page.content() and re.search("CSRF|403", page.content()) is None
