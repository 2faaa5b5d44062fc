"""After-sales claims: opened by the buyer with photos, answered by the supplier, decided by the operator, refunded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shop.aftersales.models import Claim
from shop.order.services import shipment_ship, transfer_mark_received
from tests.factories import CategoryFactory, CertifiedPartnerFactory, UserFactory, certified_product, png_upload
from tests.integration.shop.support import (
    STRIPE_SETTINGS,
    FakeGateway,
    basket_for,
    deliver,
    event,
    place,
    session_completed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    partner = CertifiedPartnerFactory(name="湘西猕猴桃合作社")
    staff, other_staff = UserFactory(role="supplier"), UserFactory(role="supplier")
    partner.users.add(staff)
    CertifiedPartnerFactory(name="凤凰腊肉厂").users.add(other_staff)
    kiwi = certified_product(partner=partner, title="湘西猕猴桃 红心", price="88.00")
    return {
        "buyer": UserFactory(),
        "operator": UserFactory(role="operator", is_staff=True),
        "staff": staff,
        "other_staff": other_staff,
        "kiwi": kiwi,
    }


def shipped_order(people, payment_method="transfer", client=None):
    buyer = people["buyer"]
    if payment_method == "stripe":
        order = place(
            buyer, basket_for(buyer, (people["kiwi"], 1)), payment_method="stripe", gateway=FakeGateway()
        ).order
        deliver(client, event("checkout.session.completed", session_completed(order, payment_intent="pi_test_claim")))
    else:
        order = place(buyer, basket_for(buyer, (people["kiwi"], 1))).order
        transfer_mark_received(order=order, user=people["operator"])
    shipment_ship(shipment=order.shipments.get(), user=people["staff"], carrier="顺丰冷运", tracking_number="SF9988")
    order.refresh_from_db()
    return order


def open_claim(client, people, order, **data):
    client.force_login(people["buyer"])
    line = order.lines.get()
    fields = {
        "reason": "quality",
        "remedy": "refund",
        "description": "到货时有三个猕猴桃已经烂了。",
        "photos": [png_upload("烂果.png")],
        **data,
    }
    return client.post(reverse("aftersales:claim-create", kwargs={"line_id": line.pk}), fields)


def test_the_buyer_opens_a_claim_with_a_photo_from_the_order_page(client, people):
    order = shipped_order(people)
    client.force_login(people["buyer"])
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "申请售后" in page
    response = open_claim(client, people, order)
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert claim.status == "submitted" and claim.amount == Decimal("88.00") and claim.partner.name == "湘西猕猴桃合作社"
    photo = claim.photos.get()
    assert photo.file_name == "烂果.png" and photo.file.name.startswith("claims/") and photo.file.name.endswith(".png")
    detail = client.get(response.url).content.decode()
    assert "待商家处理" in detail and "到货时有三个猕猴桃已经烂了。" in detail
    image = client.get(reverse("aftersales:claim-photo", kwargs={"pk": photo.pk}))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert claim.status_changes.get().new_status == "submitted"


def test_a_file_that_is_not_a_picture_is_refused_in_chinese_and_nothing_is_saved(client, people):
    order = shipped_order(people)
    fake = SimpleUploadedFile("烂果.png", b"not a picture at all", content_type="image/png")
    response = open_claim(client, people, order, photos=[fake])
    assert response.status_code == 200
    assert "不是可读取的" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_without_a_photo_is_refused(client, people):
    order = shipped_order(people)
    response = open_claim(client, people, order, photos=[])
    assert "请至少添加一张" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_cannot_be_opened_before_shipping(client, people):
    buyer = people["buyer"]
    order = place(buyer, basket_for(buyer, (people["kiwi"], 1))).order
    response = open_claim(client, people, order)
    assert "发货后" in response.content.decode()
    assert not Claim.objects.exists()


def test_another_buyer_can_neither_open_see_withdraw_nor_see_the_photos(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    claim = Claim.objects.get()
    client.force_login(UserFactory())
    line = order.lines.get()
    assert client.get(reverse("aftersales:claim-create", kwargs={"line_id": line.pk})).status_code == 404
    assert client.post(reverse("aftersales:claim-create", kwargs={"line_id": line.pk}), {}).status_code == 404
    assert client.get(reverse("aftersales:claim-detail", kwargs={"pk": claim.pk})).status_code == 404
    assert client.post(reverse("aftersales:claim-withdraw", kwargs={"pk": claim.pk})).status_code == 404
    photo = claim.photos.get()
    assert client.get(reverse("aftersales:claim-photo", kwargs={"pk": photo.pk})).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "submitted" and Claim.objects.count() == 1


def test_another_supplier_cannot_see_or_answer_the_claim_and_a_buyer_has_no_back_office(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    claim = Claim.objects.get()
    client.force_login(people["other_staff"])
    assert claim.order.number not in client.get(reverse("aftersales-dashboard:claim-list")).content.decode()
    assert client.get(reverse("aftersales-dashboard:claim-detail", kwargs={"pk": claim.pk})).status_code == 404
    answer = reverse("aftersales-dashboard:claim-answer", kwargs={"pk": claim.pk})
    assert client.post(answer, {"accept": "1", "answer": "同意"}).status_code == 404
    photo = claim.photos.get()
    assert client.get(reverse("aftersales:claim-photo", kwargs={"pk": photo.pk})).status_code == 404
    client.force_login(people["buyer"])
    assert client.get(reverse("aftersales-dashboard:claim-list")).status_code == 403
    assert client.post(answer, {"accept": "1", "answer": "同意"}).status_code == 403
    decide = reverse("aftersales-dashboard:claim-decide", kwargs={"pk": claim.pk})
    client.force_login(people["staff"])
    assert client.post(decide, {"uphold": "0", "decision": "驳回"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "submitted" and not claim.supplier_answer


def test_the_supplier_agrees_and_an_offline_refund_is_recorded_by_the_operator(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    claim = Claim.objects.get()
    client.force_login(people["staff"])
    assert "湘西猕猴桃 红心" in client.get(reverse("aftersales-dashboard:claim-list")).content.decode()
    photo = claim.photos.get()
    assert client.get(reverse("aftersales:claim-photo", kwargs={"pk": photo.pk})).status_code == 200
    client.post(
        reverse("aftersales-dashboard:claim-answer", kwargs={"pk": claim.pk}),
        {"accept": "1", "answer": "抱歉，全额退款。"},
    )
    claim.refresh_from_db()
    assert claim.status == "refunding" and claim.refund is None
    refunded = reverse("aftersales-dashboard:claim-refunded", kwargs={"pk": claim.pk})
    assert client.post(refunded, {"bank_reference": "自己记录退款"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "refunding"
    client.force_login(people["operator"])
    client.post(
        reverse("aftersales-dashboard:claim-refunded", kwargs={"pk": claim.pk}),
        {"bank_reference": "转账流水 2026120601"},
    )
    claim.refresh_from_db()
    assert claim.status == "refunded"
    assert list(claim.status_changes.values_list("new_status", flat=True)) == ["submitted", "refunding", "refunded"]
    assert claim.refund.bank_reference == "转账流水 2026120601"


def test_an_offline_claim_refund_needs_its_bank_reference(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    claim = Claim.objects.get()
    client.force_login(people["staff"])
    client.post(
        reverse("aftersales-dashboard:claim-answer", kwargs={"pk": claim.pk}),
        {"accept": "1", "answer": "抱歉，全额退款。"},
    )
    client.force_login(people["operator"])
    response = client.post(
        reverse("aftersales-dashboard:claim-refunded", kwargs={"pk": claim.pk}),
        {"bank_reference": "  ", "note": "已退"},
    )
    form = response.content.decode().split('id="refund-form"', 1)[1]
    assert "必需字段" in form.split('id="id_bank_reference"', 1)[1].split("</div>", 1)[0]
    claim.refresh_from_db()
    assert claim.status == "refunding" and claim.refund is None


def test_a_refused_claim_is_decided_by_the_operator_and_refunded_online(client, people, settings):
    for key, value in STRIPE_SETTINGS.items():
        setattr(settings, key, value)
    FakeGateway.reset()
    order = shipped_order(people, payment_method="stripe", client=client)
    open_claim(client, people, order, remedy="partial_refund", amount="30.00")
    claim = Claim.objects.get()
    client.force_login(people["staff"])
    client.post(
        reverse("aftersales-dashboard:claim-answer", kwargs={"pk": claim.pk}), {"accept": "0", "answer": "发货时完好。"}
    )
    claim.refresh_from_db()
    assert claim.status == "disputed"
    client.force_login(people["operator"])
    assert claim.order.number in client.get(reverse("aftersales-dashboard:claim-list")).content.decode()
    client.post(
        reverse("aftersales-dashboard:claim-decide", kwargs={"pk": claim.pk}),
        {"uphold": "1", "decision": "照片显示果实腐烂，支持部分退款。", "amount": "20.00"},
    )
    claim.refresh_from_db()
    assert claim.status == "refunding" and claim.refund.amount == Decimal("20.00")
    assert FakeGateway.refunds[-1][:2] == ("pi_test_claim", Decimal("20.00"))
    refund = claim.refund
    payload = event(
        "refund.updated",
        {
            "id": refund.gateway_reference,
            "object": "refund",
            "amount": 2000,
            "status": "succeeded",
            "metadata": {"refund_id": str(refund.pk)},
        },
    )
    deliver(client, payload)
    claim.refresh_from_db()
    line = claim.line
    line.refresh_from_db()
    assert claim.status == "refunded"
    assert line.status != "refunded"  # a partial refund leaves the line as it was
    client.force_login(people["buyer"])
    page = client.get(reverse("aftersales:claim-detail", kwargs={"pk": claim.pk})).content.decode()
    assert "已退款" in page and "照片显示果实腐烂" in page
    orders = client.get(reverse("customer:order-list"), {"tab": "after_sales"}).content.decode()
    assert order.number in orders


def test_the_operator_decides_only_once_the_supplier_is_late(client, people):
    order = shipped_order(people)
    open_claim(client, people, order, remedy="reship", reason="missing", photos=[])
    claim = Claim.objects.get()
    client.force_login(people["operator"])
    decide = reverse("aftersales-dashboard:claim-decide", kwargs={"pk": claim.pk})
    response = client.post(decide, {"uphold": "1", "decision": "补发"}, follow=True)
    assert "商家还有时间答复" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    Claim.objects.filter(pk=claim.pk).update(answer_due=timezone.now() - timedelta(hours=1))
    client.post(decide, {"uphold": "1", "decision": "商家逾期未答复，补发。"})
    claim.refresh_from_db()
    assert claim.status == "resolved"


def test_the_buyer_withdraws_a_claim(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    claim = Claim.objects.get()
    client.post(reverse("aftersales:claim-withdraw", kwargs={"pk": claim.pk}))
    claim.refresh_from_db()
    assert claim.status == "withdrawn"


def test_the_landing_pages_count_claims_to_answer_and_to_decide(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    client.force_login(people["staff"])
    html = client.get(reverse("workbench:todo")).content.decode()
    assert "待答复的售后申请" in html
    client.force_login(people["operator"])
    Claim.objects.update(answer_due=timezone.now() - timedelta(hours=1))
    html = client.get(reverse("workbench:todo")).content.decode()
    assert "待裁决的售后申请" in html


def test_the_product_page_states_the_rule_for_fresh_produce_only(client, people):
    fruit = CategoryFactory("蔬菜水果")
    fruit.slug = "fruit"
    fruit.save()
    kiwi = certified_product(partner=CertifiedPartnerFactory(), title="红心猕猴桃", categories=[fruit])
    tea = certified_product(title="桑植白茶")
    assert "不支持7天无理由退货" in client.get(kiwi.get_absolute_url()).content.decode()
    assert "不支持7天无理由退货" not in client.get(tea.get_absolute_url()).content.decode()


def refund_by_transfer(client, people, claim):
    client.force_login(people["staff"])
    client.post(
        reverse("aftersales-dashboard:claim-answer", kwargs={"pk": claim.pk}), {"accept": "1", "answer": "同意退款。"}
    )
    client.force_login(people["operator"])
    client.post(
        reverse("aftersales-dashboard:claim-refunded", kwargs={"pk": claim.pk}), {"bank_reference": "转账流水 1"}
    )
    claim.refresh_from_db()
    assert claim.status == "refunded"


def test_a_line_refunded_in_full_cannot_be_claimed_for_a_refund_again(client, people):
    order = shipped_order(people)
    open_claim(client, people, order)
    refund_by_transfer(client, people, Claim.objects.get())
    for remedy, amount in (("refund", ""), ("partial_refund", "10.00")):
        response = open_claim(client, people, order, remedy=remedy, amount=amount)
        assert response.status_code == 200
        assert "已全额退款" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_second_partial_refund_is_bounded_by_what_is_left_of_the_line(client, people):
    order = shipped_order(people)
    open_claim(client, people, order, remedy="partial_refund", amount="60.00")
    refund_by_transfer(client, people, Claim.objects.get())
    response = open_claim(client, people, order, remedy="partial_refund", amount="60.00")
    assert "尚可退款的金额 ¥28.00" in response.content.decode()
    open_claim(client, people, order, remedy="refund")
    second = Claim.objects.exclude(status="refunded").get()
    assert second.amount == Decimal("28.00")


def test_the_operator_cannot_grant_more_than_is_left_of_the_line(client, people):
    order = shipped_order(people)
    open_claim(client, people, order, remedy="partial_refund", amount="60.00")
    refund_by_transfer(client, people, Claim.objects.get())
    open_claim(client, people, order, remedy="partial_refund", amount="20.00")
    claim = Claim.objects.get(status="submitted")
    Claim.objects.filter(pk=claim.pk).update(answer_due=timezone.now() - timedelta(hours=1))
    client.force_login(people["operator"])
    decide = reverse("aftersales-dashboard:claim-decide", kwargs={"pk": claim.pk})
    client.post(decide, {"uphold": "1", "decision": "支持退款", "amount": "88.00"})
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.amount == Decimal("20.00")
