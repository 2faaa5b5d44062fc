"""收款与退款 lists what is owed to buyers of orders cancelled after payment; the operator records a bank refund there."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from settlement.models import LedgerEntry
from settlement.selectors import ledger_check
from shop.order.services import order_cancel_by_buyer
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.settlement.support import online_order, operator, transfer_order
from tests.integration.shop.support import STRIPE_SETTINGS, FakeGateway, stripe_on  # noqa: F401 - fixture

Refund = get_model("payment", "Refund")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]
PAYMENTS = reverse("dashboard:order-payments")


@pytest.fixture
def tea_farm():
    return CertifiedPartnerFactory(name="桑植白茶合作社", shipping_rate=Decimal("10.00"))


def cancelled_transfer(tea_farm, price="60.00"):
    buyer = UserFactory()
    order = transfer_order(buyer, (certified_product(partner=tea_farm, price=price), 1))
    order, _refund = order_cancel_by_buyer(order=order, user=buyer)
    return order


def refund_url(order):
    return reverse("dashboard:order-refund-transfer", kwargs={"number": order.number})


def owed_table(html):
    return html.split('id="owed"', 1)[1].split("</table>", 1)[0]


def test_the_operator_sees_the_refund_owed_and_records_the_bank_refund(client, tea_farm):
    order = cancelled_transfer(tea_farm)
    client.force_login(operator())
    table = owed_table(client.get(PAYMENTS).content.decode())
    assert "已取消订单待退款" in client.get(PAYMENTS).content.decode()
    assert order.number in table and "¥70.00" in table and "已转账退款" in table

    response = client.post(refund_url(order), {"bank_reference": "ICBC 20260318-0042"}, follow=True)
    html = response.content.decode()
    assert f"订单 {order.number} 的退款 ¥70.00 已登记" in html
    assert order.number not in owed_table(html)
    refund = Refund.objects.get()
    assert (refund.status, refund.amount, refund.line) == ("succeeded", Decimal("70.00"), None)
    assert sum(entry.amount for entry in LedgerEntry.objects.filter(partner=tea_farm)) == 0
    assert ledger_check()[2]


def test_a_bank_refund_needs_its_reference(client, tea_farm):
    order = cancelled_transfer(tea_farm)
    client.force_login(operator())
    html = client.post(refund_url(order), {"bank_reference": " "}, follow=True).content.decode()
    assert "请填写退款转账的银行流水号" in html
    assert not Refund.objects.exists()


def test_an_online_order_whose_refund_failed_can_be_sent_again_but_not_recorded_as_a_transfer(client, tea_farm):
    buyer = UserFactory()
    order = online_order(buyer, (certified_product(partner=tea_farm, price="60.00"), 1))
    FakeGateway.token = "tok_refundFails"
    order, _refund = order_cancel_by_buyer(order=order, user=buyer, gateway=FakeGateway())
    FakeGateway.token = "tok_visa"
    client.force_login(operator())
    table = owed_table(client.get(PAYMENTS).content.decode())
    assert order.number in table and "通过支付服务退款" in table and "已转账退款" not in table
    html = client.post(refund_url(order), {"bank_reference": "ICBC 1"}, follow=True).content.decode()
    assert "退款须通过支付服务原路退回" in html
    client.post(reverse("dashboard:order-refund", kwargs={"number": order.number}))
    sent = Refund.objects.get(status="requested")
    assert sent.amount == order.total_incl_tax
    table = owed_table(client.get(PAYMENTS).content.decode())
    assert "已提交支付服务" in table


def test_supplier_staff_and_buyers_cannot_record_a_refund(client, tea_farm):
    order = cancelled_transfer(tea_farm)
    own_staff = UserFactory(role="supplier")
    tea_farm.users.add(own_staff)
    for outsider in (own_staff, order.user, UserFactory(role="county")):
        client.force_login(outsider)
        assert client.post(refund_url(order), {"bank_reference": "ICBC 1"}).status_code == 403
        assert client.get(PAYMENTS).status_code == 403
    assert not Refund.objects.exists()
    assert sum(entry.amount for entry in LedgerEntry.objects.filter(partner=tea_farm)) == Decimal("70.00")


def test_the_payments_page_keeps_its_query_count_with_more_refunds_owed(client, tea_farm):
    cancelled_transfer(tea_farm)
    client.force_login(operator())
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAYMENTS).status_code == 200
    for price in ("12.00", "33.30", "99.90"):
        cancelled_transfer(tea_farm, price=price)
    with CaptureQueriesContext(connection) as four:
        html = client.get(PAYMENTS).content.decode()
    assert owed_table(html).count("<tr>") == 5  # the header and four orders
    assert len(four) == len(one)


def test_the_bank_reference_is_kept_on_the_refund_and_shown_to_the_buyer_the_operator_and_in_the_statement(
    client, tea_farm
):
    from datetime import timedelta

    from django.utils import timezone

    from settlement.models import Statement
    from settlement.outputs import statement_xlsx
    from spreadsheets.reading import xlsx_rows

    order = cancelled_transfer(tea_farm)
    client.force_login(operator())
    client.post(refund_url(order), {"bank_reference": "ICBC 20260318-0042"})
    refund = Refund.objects.get()
    assert refund.bank_reference == "ICBC 20260318-0042"
    assert "ICBC" not in refund.reason

    operator_page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).content.decode()
    refunds = operator_page.split('id="order-refunds"', 1)[1].split("</table>", 1)[0]
    assert "ICBC 20260318-0042" in refunds and "银行转账" in refunds and "¥70.00" in refunds

    client.force_login(order.user)
    buyer_page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    refunds = buyer_page.split('id="order-refunds"', 1)[1].split("</table>", 1)[0]
    assert "ICBC 20260318-0042" in refunds and "整单" in refunds

    client.force_login(UserFactory())
    other = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert other.status_code == 404

    today = timezone.localdate()
    statement = Statement(
        partner=tea_farm,
        period_start=today - timedelta(days=1),
        period_end=today,
        **dict.fromkeys(
            (
                "opening_balance",
                "goods_amount",
                "shipping_amount",
                "refunds_amount",
                "fee_rate",
                "fee_amount",
                "payable_amount",
                "closing_balance",
            ),
            Decimal("0"),
        ),
    )
    rows = [list(row) for row in xlsx_rows(statement_xlsx(statement), with_header=True)]
    header = next(row for row in rows if row and row[0] == "日期")
    assert header[-1] == "银行流水号"
    debit = next(row for row in rows if len(row) > 6 and row[1] == order.number and row[6])
    assert debit[6] == "ICBC 20260318-0042" and debit[5] < 0


def test_refunds_recorded_before_the_field_keep_their_reference_read_from_their_reason(tea_farm):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shop.payment.migrations.0007_refund_bank_reference")
    order = cancelled_transfer(tea_farm)
    old = Refund.objects.create(
        order=order, amount=Decimal("70.00"), status="succeeded", reason="买家取消订单，已通过银行转账退回：ICBC 7"
    )
    claim = Refund.objects.create(
        order=order, amount=Decimal("1.00"), status="succeeded", reason="售后申请 3，已通过银行转账退回：转账流水 9"
    )
    online = Refund.objects.create(
        order=order, amount=Decimal("1.00"), reason="Cancelled by the buyer.", gateway_reference="re_1"
    )
    migration.references_from_reasons(apps, None)
    for refund in (old, claim, online):
        refund.refresh_from_db()
    assert (old.bank_reference, claim.bank_reference, online.bank_reference) == ("ICBC 7", "转账流水 9", "")
    assert old.reason == "买家取消订单，已通过银行转账退回：ICBC 7"
