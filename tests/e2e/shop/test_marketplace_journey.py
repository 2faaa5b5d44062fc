import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from regions import demo as regions_demo
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_two_suppliers_products_bought_by_transfer_then_shipped_with_a_tracking_number(live_server, page):
    regions_demo.load()
    tea_house = CertifiedPartnerFactory(name="桑植白茶合作社")
    bacon_works = CertifiedPartnerFactory(name="凤凰腊肉厂")
    tea = certified_product(partner=tea_house, title="桑植白茶 明前", price="88.00")
    bacon = certified_product(partner=bacon_works, title="湘西腊肉 五花", price="66.00")
    buyer = UserFactory(email="buyer@example.cn")
    shipper = UserFactory(role="supplier")
    tea_house.users.add(shipper)
    staff = UserFactory(role="operator", is_staff=True)

    # The buyer logs in with an e-mail address.
    page.goto(live_server.url + "/shop/accounts/login/")
    page.fill("#id_login-username", "buyer@example.cn")
    page.fill("#id_login-password", "pass-word-2020")
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state()

    for product in (tea, bacon):
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()

    page.goto(live_server.url + "/shop/checkout/")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("#id_first_name", "张三")
    page.fill("#id_phone_number", "13800138000")
    page.locator("#id_state_picker").select_option(label="湖南省")
    page.locator("#id_line4_picker").select_option(label="张家界市")
    page.locator("#id_line3_picker").select_option(label="桑植县")
    page.fill("#id_line1", "澧源镇人民路8号")
    page.locator("form#new_shipping_address button[type=submit], form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.check("input[name=method][value=transfer]")
    page.locator("#payment-method-continue").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    assert "对公转账" in page.content()
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))

    order = Order.objects.get(user=buyer)
    confirmation = page.content()
    assert order.transfer_reference in confirmation
    assert "桑植白茶合作社" in confirmation and "凤凰腊肉厂" in confirmation
    assert "合群村" in confirmation

    # Platform staff see the transfer arrive.
    sign_in(page, live_server, staff)
    page.goto(live_server.url + "/shop/dashboard/orders/payments/")
    page.locator("#transfers").get_by_role("button", name="确认收款").click()
    page.locator(".confirm-dialog.show").get_by_role("button", name="确认收款").click()
    page.wait_for_load_state()

    # The tea supplier ships its own parcel.
    sign_in(page, live_server, shipper)
    page.goto(live_server.url + "/shop/dashboard/orders/fulfilment/")
    assert "凤凰腊肉厂" not in page.locator("#fulfilment-list").inner_text()
    page.locator("#fulfilment-list").get_by_role("link", name="查看").click()
    page.fill("#id_carrier", "顺丰速运")
    page.fill("#id_tracking_number", "SF1122334455")
    page.locator("#mark-shipped").click()
    page.wait_for_load_state()

    # The buyer sees the tracking number of that supplier's parcel.
    sign_in(page, live_server, buyer)
    page.goto(live_server.url + f"/shop/accounts/orders/{order.number}/")
    shipments = page.locator("#order-shipments").inner_text()
    assert "SF1122334455" in shipments and "顺丰速运" in shipments
    assert "部分发货" in page.content()
