"""An order the buyer cancels after paying: the supplier keeps its credit until the refund is made, the refund debits
it in the half month it is made, and the ledger agrees with the orders at every step."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from settlement.models import LedgerEntry
from settlement.selectors import ledger_check, statement_entries
from settlement.services import statements_for_period
from shop.order.services import OrderError, order_cancel_by_buyer
from shop.payment.selectors import refunds_owed, refunds_owed_total
from shop.payment.services import cancelled_order_refund_transfer, refund_confirm
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.settlement.support import online_order, operator, transfer_order
from tests.integration.shop.support import STRIPE_SETTINGS, FakeGateway, basket_for, place, stripe_on  # noqa: F401 - fixture

Refund = get_model("payment", "Refund")
Shipment = get_model("order", "Shipment")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def farms():
    tea_farm = CertifiedPartnerFactory(name="桑植白茶合作社", shipping_rate=Decimal("10.00"))
    bacon_farm = CertifiedPartnerFactory(name="湘西腊肉厂", shipping_rate=Decimal("12.00"))
    tea = certified_product(partner=tea_farm, price="60.00", title="桑植白茶")
    bacon = certified_product(partner=bacon_farm, price="45.50", title="湘西腊肉")
    return tea_farm, bacon_farm, tea, bacon


class Clock:
    """timezone.now() at a chosen Shanghai time, for the services that stamp payments, refunds and entries."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, year, month, day, hour=12):
        moment = datetime(year, month, day, hour, tzinfo=SHANGHAI)
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def balance(partner):
    return sum((entry.amount for entry in LedgerEntry.objects.filter(partner=partner)), Decimal("0.00"))


def order_net(order):
    return sum((entry.amount for entry in LedgerEntry.objects.filter(order=order)), Decimal("0.00"))


def assert_statement_shows_the_refund(partner, order, refund):
    """The first half of March has the sale, the second half the refund's debit."""
    statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    statements_for_period(start=date(2026, 3, 16), end=date(2026, 3, 31))
    first = partner.statements.get(period_start=date(2026, 3, 1))
    second = partner.statements.get(period_start=date(2026, 3, 16))
    credited = LedgerEntry.objects.filter(order=order, partner=partner, amount__gt=0)
    assert first.goods_amount + first.shipping_amount == sum(entry.amount for entry in credited)
    assert first.refunds_amount == 0
    debit = LedgerEntry.objects.get(refund=refund, partner=partner)
    assert second.refunds_amount == -debit.amount
    assert second.goods_amount == 0
    assert list(statement_entries(second)) == [debit]
    assert debit.occurred_at.astimezone(SHANGHAI).date() == date(2026, 3, 18)


def test_a_transfer_order_cancelled_after_payment_nets_to_zero_once_the_operator_records_the_bank_refund(farms, clock):
    tea_farm, bacon_farm, tea, bacon = farms
    buyer, desk = UserFactory(), operator()
    clock.set(2026, 3, 10)
    order = transfer_order(buyer, (tea, 2), (bacon, 1), staff=desk)
    paid = balance(tea_farm), balance(bacon_farm)
    assert paid[0] > 0 and paid[1] > 0 and sum(paid) == order.total_incl_tax

    clock.set(2026, 3, 12)
    order, refund = order_cancel_by_buyer(order=order, user=buyer)
    assert order.status == "cancelled" and refund is None
    # Cancelling changes no entry: the suppliers keep the credit, and the buyer is owed the payment.
    assert (balance(tea_farm), balance(bacon_farm)) == paid
    assert ledger_check()[2]
    assert list(refunds_owed(user=desk)) == [order]
    assert refunds_owed(user=desk)[0].owed == order.total_incl_tax
    assert refunds_owed_total() == (1, order.total_incl_tax)
    out = StringIO()
    call_command("ledger_check", stdout=out)
    assert "agrees" in out.getvalue() and f"Owed to buyers: ¥{order.total_incl_tax} for 1 order" in out.getvalue()

    clock.set(2026, 3, 18)
    returned = cancelled_order_refund_transfer(order=order, user=desk, bank_reference="ICBC 20260318-0042")
    assert returned.status == Refund.SUCCEEDED and returned.amount == order.total_incl_tax and returned.line is None
    assert returned.bank_reference == "ICBC 20260318-0042"
    assert balance(tea_farm) == 0 and balance(bacon_farm) == 0 and order_net(order) == 0
    assert ledger_check()[2]
    assert not refunds_owed(user=desk).exists() and refunds_owed_total() == (0, Decimal("0.00"))
    out = StringIO()
    call_command("ledger_check", stdout=out)
    assert "Owed to buyers" not in out.getvalue()
    assert order.notes.filter(message__contains="ICBC 20260318-0042").exists()
    assert_statement_shows_the_refund(tea_farm, order, returned)
    assert_statement_shows_the_refund(bacon_farm, order, returned)
    # Once returned, nothing is left to return.
    with pytest.raises(OrderError, match="已无可退金额"):
        cancelled_order_refund_transfer(order=order, user=desk, bank_reference="again")
    assert Refund.objects.count() == 1


def test_an_online_order_cancelled_after_payment_is_debited_when_the_gateway_confirms_the_refund(farms, clock):
    tea_farm, bacon_farm, tea, bacon = farms
    buyer, desk = UserFactory(), operator()
    clock.set(2026, 3, 10)
    order = online_order(buyer, (tea, 1), (bacon, 2))
    clock.set(2026, 3, 14)
    order, requested = order_cancel_by_buyer(order=order, user=buyer, gateway=FakeGateway())
    assert requested.status == Refund.REQUESTED and requested.amount == order.total_incl_tax
    # Asked of the gateway, not yet returned: still owed to the buyer, still credited to the suppliers.
    assert ledger_check()[2]
    assert order_net(order) == order.total_incl_tax
    owed = refunds_owed(user=desk).get()
    assert owed.owed == order.total_incl_tax and owed.refund_pending == order.total_incl_tax

    clock.set(2026, 3, 18)
    confirmed, _changed = refund_confirm(refund=requested)
    assert order_net(order) == 0 and balance(tea_farm) == 0 and balance(bacon_farm) == 0
    assert ledger_check()[2]
    assert not refunds_owed(user=desk).exists()
    assert_statement_shows_the_refund(tea_farm, order, confirmed)
    assert_statement_shows_the_refund(bacon_farm, order, confirmed)
    # The transfer route is not for an order paid online.
    with pytest.raises(OrderError, match="在线支付"):
        cancelled_order_refund_transfer(order=order, user=desk, bank_reference="ICBC 1")


def test_a_refused_online_refund_stays_owed_to_the_buyer(farms):
    tea_farm, _bacon_farm, tea, _bacon = farms
    buyer, desk = UserFactory(), operator()
    order = online_order(buyer, (tea, 1))
    FakeGateway.token = "tok_refundFails"
    order, refund = order_cancel_by_buyer(order=order, user=buyer, gateway=FakeGateway())
    assert refund is None and Refund.objects.get().status == Refund.FAILED
    assert balance(tea_farm) == order.total_incl_tax
    assert ledger_check()[2]
    owed = refunds_owed(user=desk).get()
    assert owed.owed == order.total_incl_tax and owed.refund_pending == 0


@pytest.mark.parametrize("payment_method", ["transfer", "stripe"])
def test_an_order_cancelled_before_payment_posts_no_entry_at_all(farms, payment_method):
    _tea_farm, _bacon_farm, tea, bacon = farms
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (tea, 1), (bacon, 1)), payment_method=payment_method, gateway=FakeGateway())
    order = order.order
    order, refund = order_cancel_by_buyer(order=order, user=buyer, gateway=FakeGateway())
    assert order.status == "cancelled" and refund is None
    assert not LedgerEntry.objects.exists()
    assert not Refund.objects.exists()
    assert not refunds_owed(user=operator()).exists()
    assert ledger_check() == (Decimal("0.00"), Decimal("0.00"), True)


def test_a_refund_is_recorded_only_for_an_order_cancelled_after_payment(farms):
    _tea_farm, _bacon_farm, tea, _bacon = farms
    buyer, desk = UserFactory(), operator()
    order = transfer_order(buyer, (tea, 1), staff=desk)
    with pytest.raises(OrderError, match="不是在付款后取消的"):
        cancelled_order_refund_transfer(order=order, user=desk, bank_reference="ICBC 1")
    order, _refund = order_cancel_by_buyer(order=order, user=buyer)
    with pytest.raises(OrderError, match="银行流水号"):
        cancelled_order_refund_transfer(order=order, user=desk, bank_reference="  ")
    assert not Refund.objects.exists()


def test_only_the_operator_records_a_refund(farms):
    tea_farm, _bacon_farm, tea, _bacon = farms
    buyer = UserFactory()
    order = transfer_order(buyer, (tea, 1))
    order, _refund = order_cancel_by_buyer(order=order, user=buyer)
    supplier_staff = UserFactory(role="supplier")
    tea_farm.users.add(supplier_staff)
    for outsider in (supplier_staff, buyer, UserFactory(role="supplier")):
        with pytest.raises(PermissionDenied):
            cancelled_order_refund_transfer(order=order, user=outsider, bank_reference="ICBC 1")
        assert not refunds_owed(user=outsider).exists()
    assert not Refund.objects.exists()
    assert balance(tea_farm) == order.total_incl_tax


def test_a_buyer_cannot_cancel_another_buyers_order(farms):
    tea_farm, _bacon_farm, tea, _bacon = farms
    buyer = UserFactory()
    order = transfer_order(buyer, (tea, 1))
    with pytest.raises(PermissionDenied):
        order_cancel_by_buyer(order=order, user=UserFactory())
    order.refresh_from_db()
    assert order.status == "paid" and balance(tea_farm) == order.total_incl_tax
