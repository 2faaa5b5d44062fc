"""A unit purchaser on a phone (390 × 844) sends the unit's order to its staff's addresses: the template comes from the
payment step, a file with a bad row is refused with the row named, the right file shows its split on the preview, and
the order is placed with its recipients. Nothing scrolls sideways."""

import re

import pytest
from oscar.core.loading import get_model

from accounts import roles
from regions import demo as regions_demo
from tests.e2e.shop.test_marketplace_journey import sign_in
from tests.factories import UnitFactory, UserFactory, certified_product
from tests.integration.shop.support import recipients_xlsx

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def recipients_file(*rows):
    return {"name": "职工名单.xlsx", "mimeType": XLSX, "buffer": recipients_xlsx(*rows)}


def scroll_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_a_unit_purchaser_sends_the_units_order_to_its_staff_from_a_phone(live_server, page):
    regions_demo.load()
    regions_demo.load_code_list()
    unit = UnitFactory(name="张家界市财政局", tax_number="11430800MB1234567X")
    purchaser = UserFactory(email="caigou@example.cn", role=roles.UNIT)
    unit.members.add(purchaser)
    tea = certified_product(title="桑植白茶 明前特级 250克礼盒装", price="168.00")

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, purchaser)
    page.goto(live_server.url + tea.get_absolute_url())
    page.get_by_role("button", name="增加一件").click()
    page.get_by_role("button", name="增加一件").click()
    page.get_by_role("button", name="加入购物车").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/shop/checkout/shipping-address/")
    page.fill("#id_first_name", "王采购")
    page.fill("#id_phone_number", "13800138001")
    page.locator("#id_state_picker").select_option(label="湖南省")
    page.locator("#id_line4_picker").select_option(label="张家界市")
    page.locator("#id_line3_picker").select_option(label="永定区")
    page.fill("#id_line1", "子午路机关食堂")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))

    page.get_by_role("radio", name=re.compile("对公转账")).check()
    page.locator("#id_unit").select_option(label="张家界市财政局")
    page.fill("#id_invoice_title", "张家界市财政局")
    page.fill("#id_invoice_tax_number", "11430800MB1234567X")
    upload = page.locator("#recipients-upload")
    assert not upload.is_visible()  # until 多地址配送 is chosen
    page.get_by_text("多地址配送（上传收件人表）").click()
    assert upload.is_visible()
    with page.expect_download() as download:
        page.locator("#recipients-template").click()
    assert download.value.suggested_filename == "recipients-template.xlsx"

    page.set_input_files(
        "#id_recipients_file",
        recipients_file(
            ("", "向老师", "1380744", "永定区子午路1号", 2), ("", "田老师", "13807440002", "天门路88号", 1)
        ),
    )
    page.locator("#payment-method-continue").click()
    page.wait_for_load_state()
    errors = page.locator("#recipient-errors")
    assert "第2行：手机号须为1开头的11位数字。" in errors.inner_text()
    assert errors.is_visible() and scroll_width(page) <= PHONE["width"]

    page.get_by_text("多地址配送（上传收件人表）").click()
    page.set_input_files(
        "#id_recipients_file",
        recipients_file(
            ("", "向老师", "13807440001", "湖南省张家界市永定区子午路1号财政局宿舍3栋", 2),
            ("", "田老师", "13807440002", "湖南省张家界市永定区南庄坪街道天门路88号", 1),
        ),
    )
    page.locator("#payment-method-continue").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    split = page.locator("#group-delivery")
    split.scroll_into_view_if_needed()
    assert split.is_visible()
    row = page.locator("#group-delivery-split tbody tr").first.inner_text()
    assert re.search(r"桑植白茶.*3\s+3\s+2", row, re.S), row
    assert "财政局宿舍3栋" in page.locator("#group-delivery-recipients").inner_text()
    assert scroll_width(page) <= PHONE["width"]

    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    order = Order.objects.get(user=purchaser)
    assert order.unit == unit
    assert [(r.name, r.quantity) for r in order.group_delivery.recipients.all()] == [("向老师", 2), ("田老师", 1)]
