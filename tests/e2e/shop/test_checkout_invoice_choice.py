"""The invoice at checkout is a folded choice: 不开发票 first, the details unfolding under 个人 or 单位, with or without
script, on a phone and on a desktop."""

import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.invoicing.models import InvoiceRequest
from tests.factories import UserFactory, certified_product
from tests.integration.shop.support import ADDRESS

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def at_payment_step(live_server):
    """A signed-in buyer with a basket and an address, standing before the payment step (the session cookie)."""
    buyer = UserFactory(email="invoice-buyer@example.cn")
    client = Client()
    client.force_login(buyer)
    product = certified_product(title="桑植白茶 明前特级", price="88.00")
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert client.post("/shop/checkout/shipping-address/", ADDRESS).status_code == 302
    client.get("/shop/checkout/shipping-method/")
    return buyer, client.cookies["sessionid"].value


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}], ids=["390", "1366"]
)
def test_the_invoice_details_unfold_only_for_a_person_or_a_company(
    browser, live_server, at_payment_step, script, viewport
):
    buyer, session = at_payment_step
    context = browser.new_context(locale="zh-CN", java_script_enabled=script, viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/shop/checkout/payment-method/")
        invoice = page.get_by_role("group", name="发票")
        none, person, company = (invoice.get_by_role("radio", name=name) for name in ("不开发票", "个人", "单位"))
        assert none.is_checked()
        assert not page.locator("#id_invoice-title").is_visible()

        invoice.get_by_text("个人", exact=True).click()
        assert person.is_checked()
        assert page.locator("#id_invoice-title").is_visible()
        assert not page.locator("#id_invoice-tax_number").is_visible()

        invoice.get_by_text("单位", exact=True).click()
        assert company.is_checked()
        assert page.locator("#id_invoice-tax_number").is_visible()
        # The keyboard moves within the group as in any radio group.
        company.focus()
        page.keyboard.press("ArrowLeft")
        assert person.is_checked()

        page.fill("#id_invoice-title", "刘女士")
        page.locator("#payment-method-continue").click()
        page.wait_for_url(re.compile(r"/checkout/preview/"))
        page.locator("#place-order").click()
        page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    finally:
        context.close()
    request = InvoiceRequest.objects.get(order__user=buyer)
    assert (request.title_kind, request.title) == ("person", "刘女士")
