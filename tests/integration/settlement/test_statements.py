from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from settlement.models import LedgerEntry, Statement, StatementStatus
from settlement.services import (
    SettlementError,
    statement_mark_paid,
    statements_for_period,
    statements_generate,
)
from settlement.tasks import statements_generate_run
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.settlement.support import operator, transfer_order

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def supplier():
    partner = CertifiedPartnerFactory(name="桑植白茶合作社", contact_email="chashe@example.cn")
    staff = UserFactory(role="supplier", email="staff@example.cn")
    partner.users.add(staff)
    return partner


@pytest.fixture
def order(supplier):
    return transfer_order(UserFactory(), (certified_product(partner=supplier, price="60.00"), 1))


_sources = iter(range(1, 10_000))


def entry(supplier, order, amount, when, kind="goods"):
    return LedgerEntry.objects.create(
        partner=supplier,
        kind=kind,
        amount=Decimal(amount),
        order=order,
        source=f"test:{next(_sources)}",
        occurred_at=when,
    )


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_entries_fall_into_the_half_month_of_their_shanghai_date(supplier, order):
    entry(supplier, order, "100.00", at(2026, 3, 15, 23, 59))
    # 16 March 00:30 in Shanghai is still 15 March in UTC: it belongs to the second half.
    entry(supplier, order, "40.00", datetime(2026, 3, 15, 16, 30, tzinfo=ZoneInfo("UTC")))
    entry(supplier, order, "8.00", at(2026, 3, 31, 23, 0), kind="shipping")
    entry(supplier, order, "-25.00", at(2026, 3, 20), kind="refund")
    first = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    second = statements_for_period(start=date(2026, 3, 16), end=date(2026, 3, 31))
    (first,), (second,) = first, second
    assert (first.goods_amount, first.shipping_amount, first.refunds_amount) == (Decimal("100.00"), 0, 0)
    assert (second.goods_amount, second.shipping_amount, second.refunds_amount) == (
        Decimal("40.00"),
        Decimal("8.00"),
        Decimal("25.00"),
    )
    assert second.payable_amount == Decimal("23.00") and second.closing_balance == 0


def test_the_platform_fee_is_taken_on_net_sales_rounded_half_up(settings, supplier, order):
    settings.SETTLEMENT_FEE_RATE = Decimal("0.015")
    entry(supplier, order, "100.30", at(2026, 3, 3))
    entry(supplier, order, "-0.00", at(2026, 3, 4), kind="refund")
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    # 100.30 × 1.5% = 1.5045 → ¥1.50; payable 98.80.
    assert statement.fee_rate == Decimal("0.0150")
    assert statement.fee_amount == Decimal("1.50")
    assert statement.payable_amount == Decimal("98.80")


def test_the_fee_is_zero_by_default(supplier, order):
    entry(supplier, order, "100.00", at(2026, 3, 3))
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    assert statement.fee_amount == 0 and statement.payable_amount == Decimal("100.00")


def test_more_refunds_than_sales_carry_a_negative_balance_into_the_next_statement(supplier, order):
    entry(supplier, order, "30.00", at(2026, 3, 5))
    entry(supplier, order, "-50.00", at(2026, 3, 6), kind="refund")
    (first,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    assert first.payable_amount == 0 and first.closing_balance == Decimal("-20.00")
    # No entries at all in the next half month: the balance still gets its statement, and stays carried.
    (second,) = statements_for_period(start=date(2026, 3, 16), end=date(2026, 3, 31))
    assert second.opening_balance == Decimal("-20.00") and second.closing_balance == Decimal("-20.00")
    entry(supplier, order, "100.00", at(2026, 4, 2))
    (third,) = statements_for_period(start=date(2026, 4, 1), end=date(2026, 4, 15))
    assert third.opening_balance == Decimal("-20.00")
    assert third.payable_amount == Decimal("80.00") and third.closing_balance == 0


def test_generation_draws_each_ended_half_month_once_and_emails_the_supplier(
    supplier, order, django_capture_on_commit_callbacks, run_tasks
):
    entry(supplier, order, "100.00", at(2026, 3, 3))
    entry(supplier, order, "60.00", at(2026, 3, 20))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        created = statements_generate(today=date(2026, 4, 2))
    run_tasks()
    periods = [(s.period_start, s.period_end) for s in created if s.partner == supplier]
    assert (date(2026, 3, 1), date(2026, 3, 15)) in periods and (date(2026, 3, 16), date(2026, 3, 31)) in periods
    assert (date(2026, 4, 1), date(2026, 4, 15)) not in periods
    sent = [message for message in mail.outbox if "staff@example.cn" in message.to]
    assert sent and "chashe@example.cn" in sent[0].to
    assert "对账单" in sent[0].subject and "2026-03-01" in sent[0].subject
    assert statements_generate(today=date(2026, 4, 5)) == []


def test_the_periodic_task_generates_the_statements(supplier, order, run_tasks, settings):
    entry(supplier, order, "100.00", timezone.now() - timezone.timedelta(days=40))
    statements_generate_run.enqueue()
    run_tasks()
    assert Statement.objects.filter(partner=supplier, goods_amount=Decimal("100.00")).exists()


def test_the_operator_marks_a_statement_paid_and_it_is_final(supplier, order):
    entry(supplier, order, "100.00", at(2026, 3, 3))
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    desk = operator()
    statement = statement_mark_paid(
        statement=statement, user=desk, bank_reference="ABC2026031800001", paid_on=date(2026, 3, 18)
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID and statement.paid_on == date(2026, 3, 18)
    change = statement.status_changes.get()
    assert change.changed_by == desk and change.new_status == StatementStatus.PAID
    with pytest.raises(SettlementError, match="已付款"):
        statement_mark_paid(statement=statement, user=desk, bank_reference="OTHER", paid_on=date(2026, 3, 19))
    statement.refresh_from_db()
    assert statement.bank_reference == "ABC2026031800001"


def test_marking_paid_needs_a_bank_reference_and_a_date_after_the_period(supplier, order):
    entry(supplier, order, "100.00", at(2026, 3, 3))
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    desk = operator()
    with pytest.raises(SettlementError) as refused:
        statement_mark_paid(statement=statement, user=desk, bank_reference=" ", paid_on=date(2026, 3, 10))
    assert "银行" in str(refused.value.message_dict) and "期末" in str(refused.value.message_dict)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY and not statement.bank_reference


def test_only_the_operator_marks_a_statement_paid(supplier, order):
    entry(supplier, order, "100.00", at(2026, 3, 3))
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    with pytest.raises(PermissionDenied):
        statement_mark_paid(
            statement=statement, user=supplier.users.get(), bank_reference="X1", paid_on=date(2026, 3, 18)
        )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY
