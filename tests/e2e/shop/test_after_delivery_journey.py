"""On a phone (390 × 844): a buyer confirms receipt and reviews; a claim with a photo ends in a refund."""

import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.aftersales.models import Claim
from shop.order.services import shipment_ship, transfer_mark_received
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, png_upload
from tests.integration.shop.support import basket_for, place

ProductReview = get_model("reviews", "ProductReview")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def shipped():
    partner = CertifiedPartnerFactory(name="湘西猕猴桃合作社")
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    operator = UserFactory(role="operator", is_staff=True)
    kiwi = certified_product(partner=partner, title="湘西猕猴桃 红心", price="88.00")
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (kiwi, 1))).order
    transfer_mark_received(order=order, user=operator)
    shipment_ship(shipment=order.shipments.get(), user=staff, carrier="顺丰冷运", tracking_number="SF7766554433")
    return {"order": order, "buyer": buyer, "staff": staff, "operator": operator, "kiwi": kiwi}


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_buyer_confirms_receipt_and_reviews_the_product(live_server, page, shipped):
    page.set_viewport_size(PHONE)
    order = shipped["order"]
    sign_in(page, live_server, shipped["buyer"])
    page.goto(live_server.url + "/shop/accounts/orders/?tab=to_receive")
    assert order.number in page.content()
    assert no_horizontal_scroll(page)
    page.locator(".order-card").first.click()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/"))
    assert "SF7766554433" in page.locator("#order-timeline").inner_text()
    page.locator("#confirm-receipt").click()
    page.wait_for_load_state()
    assert "已完成" in page.locator(".order-status").first.inner_text()
    page.locator(".write-review").first.click()
    page.wait_for_url(re.compile(r"/reviews/add/"))
    page.locator("label", has_text="★★★★★").first.click()
    page.fill("#id_body", "果肉红心，很甜，包装也好。")
    page.locator("#add_review_form button[type=submit]").click()
    page.wait_for_load_state()
    review = ProductReview.objects.get()
    assert review.score == 5 and review.user == shipped["buyer"]


def test_a_claim_with_a_photo_ends_in_a_refund(live_server, page, shipped, tmp_path):
    page.set_viewport_size(PHONE)
    order = shipped["order"]
    photo = tmp_path / "烂果.png"
    photo.write_bytes(png_upload().read())

    sign_in(page, live_server, shipped["buyer"])
    page.goto(live_server.url + f"/shop/accounts/orders/{order.number}/")
    page.locator(".open-claim").first.click()
    page.wait_for_url(re.compile(r"/aftersales/lines/"))
    page.locator("label", has_text="质量问题").click()
    page.locator("label", has_text="仅退款").click()
    assert page.locator("input[name=reason][value=quality]").is_checked()
    page.fill("#id_description", "到货时有三个已经烂了。")
    page.set_input_files("#id_photos", str(photo))
    page.locator("#claim-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/aftersales/claims/\d+/"))
    assert "待商家处理" in page.locator(".claim-status").inner_text()
    assert no_horizontal_scroll(page)
    claim = Claim.objects.get()

    sign_in(page, live_server, shipped["staff"])
    page.goto(live_server.url + f"/shop/dashboard/claims/{claim.pk}/")
    page.fill("#id_answer", "抱歉，全额退款。")
    page.locator("#answer-form button[value='1']").click()
    page.wait_for_load_state()

    sign_in(page, live_server, shipped["operator"])
    page.goto(live_server.url + f"/shop/dashboard/claims/{claim.pk}/")
    page.fill("#id_bank_reference", "2026120601")
    page.locator("#refund-form button[type=submit]").click()
    page.wait_for_load_state()

    sign_in(page, live_server, shipped["buyer"])
    page.goto(live_server.url + f"/shop/aftersales/claims/{claim.pk}/")
    assert "已退款" in page.locator(".claim-status").inner_text()
    claim.refresh_from_db()
    assert claim.status == "refunded"
