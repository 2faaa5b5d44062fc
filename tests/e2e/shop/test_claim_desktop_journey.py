"""On a desktop (1366 × 900): a buyer who confirmed receipt opens a claim with a photo, the supplier refuses it, the
platform operator upholds it, the refund is recorded, and the buyer sees 已退款."""

import re

import pytest

from shop.aftersales.models import Claim
from tests.e2e.shop.test_after_delivery_journey import no_horizontal_scroll, shipped, sign_in  # noqa: F401
from tests.factories import png_upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1366, "height": 900}


def test_a_refused_claim_is_upheld_by_the_operator_and_refunded(live_server, page, shipped, tmp_path):  # noqa: F811
    page.set_viewport_size(DESKTOP)
    order = shipped["order"]
    photo = tmp_path / "压坏的猕猴桃.png"
    photo.write_bytes(png_upload().read())

    # The buyer confirms receipt, then opens a claim on the line with a photo.
    sign_in(page, live_server, shipped["buyer"])
    page.goto(live_server.url + f"/shop/accounts/orders/{order.number}/")
    page.locator("#confirm-receipt").click()
    page.wait_for_load_state()
    assert "已完成" in page.locator(".order-status").first.inner_text()
    page.locator(".open-claim").first.click()
    page.wait_for_url(re.compile(r"/aftersales/lines/"))
    page.locator("label", has_text="运输破损").click()
    page.locator("label", has_text="仅退款").click()
    page.fill("#id_description", "箱子压扁了，一半的果子破了。")
    page.set_input_files("#id_photos", str(photo))
    page.locator("#claim-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/aftersales/claims/\d+/"))
    assert "待商家处理" in page.locator(".claim-status").inner_text()
    assert page.locator("img[src*='/aftersales/photos/']").count() == 1
    assert no_horizontal_scroll(page)
    claim = Claim.objects.get()
    assert claim.reason == "damaged" and claim.photos.count() == 1

    # The supplier refuses: the platform decides.
    sign_in(page, live_server, shipped["staff"])
    page.goto(live_server.url + f"/shop/dashboard/claims/{claim.pk}/")
    page.fill("#id_answer", "出库时包装完好，应是快递压坏，请平台判定。")
    page.locator("#answer-form button[value='0']").click()
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "disputed"

    # The operator upholds the claim, then records the refund sent through the payment.
    sign_in(page, live_server, shipped["operator"])
    page.goto(live_server.url + f"/shop/dashboard/claims/{claim.pk}/")
    page.fill("#id_decision", "照片显示果子破损，按买家请求退款。")
    page.locator("#decision-form button[value='1']").click()
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "refunding"
    page.fill("#id_bank_reference", "2026120699")
    page.locator("#refund-form button[type=submit]").click()
    page.wait_for_load_state()

    # The buyer sees the refund on the claim, with its history, and on the order.
    sign_in(page, live_server, shipped["buyer"])
    page.goto(live_server.url + f"/shop/aftersales/claims/{claim.pk}/")
    assert "已退款" in page.locator(".claim-status").inner_text()
    story = page.content()
    assert "应是快递压坏" in story and "按买家请求退款" in story
    assert no_horizontal_scroll(page)
    page.goto(live_server.url + f"/shop/accounts/orders/{order.number}/")
    assert "已退款" in page.content()
    claim.refresh_from_db()
    assert claim.status == "refunded"
