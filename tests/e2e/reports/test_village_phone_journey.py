"""A village clerk registers a purchase in the field, on a phone (390 × 844), with a photo of the receipt."""

import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts import roles
from reports.models import PurchaseRecord
from tests.factories import UserFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def receipt_photo(tmp_path):
    path = tmp_path / "收据.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (240, 240, 230)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_village_clerk_registers_a_purchase_with_a_receipt_photo_on_a_phone(live_server, page, tmp_path):
    village = region("430822101201", "合群村")
    clerk = UserFactory(role=roles.VILLAGE, region=village)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, clerk)
    page.goto(live_server.url + "/shop/dashboard/reports/records/new/")
    # The form starts with the clerk's own village, today and one household, and asks the phone for its camera.
    assert page.locator("#id_village").input_value() == str(village.pk)
    assert page.locator("#id_purchased_on").input_value() == timezone.localdate().isoformat()
    assert page.locator("#id_households_benefiting").input_value() == "1"
    receipt = page.locator("#id_receipt")
    assert receipt.get_attribute("accept") == "image/*" and receipt.get_attribute("capture") is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#id_quantity").bounding_box()["height"] >= 40  # large enough for a thumb

    page.fill("#id_helper_name", "张家界市财政局 驻村工作队")
    page.select_option("#id_seller_kind", "household")
    page.fill("#id_seller_name", "向大爷")
    page.fill("#id_product_name", "土鸡")
    page.select_option("#id_category", "meat")
    page.fill("#id_quantity", "12")
    page.select_option("#id_unit_of_measure", "animal")
    page.fill("#id_unit_price", "75.50")
    page.select_option("#id_channel", "village")
    page.select_option("#id_payment_method", "mobile")
    receipt.set_input_files(receipt_photo(tmp_path))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/shop/dashboard/reports/records/"))
    assert "土鸡" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    record = PurchaseRecord.objects.get()
    assert record.village == village and record.seller_name == "向大爷"
    assert str(record.amount) == "906.00" and record.unit_of_measure == "animal"
    assert record.receipt and record.registered_by == clerk
