import random
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model

from settlement.models import LedgerEntry, LedgerIsAppendOnly
from settlement.selectors import ledger_check
from settlement.services import ledger_credit_order, ledger_debit_refund
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.settlement.support import (
    cod_order,
    online_order,
    operator,
    refund,
    ship_and_deliver,
    transfer_order,
)
from tests.integration.shop.support import STRIPE_SETTINGS, FakeGateway, stripe_on  # noqa: F401 - fixture

Refund = get_model("payment", "Refund")
Shipment = get_model("order", "Shipment")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def two_suppliers():
    tea_farm = CertifiedPartnerFactory(
        name="桑植白茶合作社", shipping_rate=Decimal("10.00"), allows_cash_on_delivery=True
    )
    bacon_farm = CertifiedPartnerFactory(
        name="湘西腊肉厂", shipping_rate=Decimal("12.00"), allows_cash_on_delivery=True
    )
    tea = certified_product(partner=tea_farm, price="60.00", title="桑植白茶")
    bacon = certified_product(partner=bacon_farm, price="45.50", title="湘西腊肉")
    return tea_farm, bacon_farm, tea, bacon


def balance(partner):
    return sum((entry.amount for entry in LedgerEntry.objects.filter(partner=partner)), Decimal("0.00"))


def test_a_paid_order_credits_each_supplier_its_lines_and_its_own_shipping(two_suppliers):
    tea_farm, bacon_farm, tea, bacon = two_suppliers
    order = transfer_order(UserFactory(), (tea, 2), (bacon, 1))
    tea_shipping = Shipment.objects.get(order=order, partner=tea_farm).shipping_charge
    bacon_shipping = Shipment.objects.get(order=order, partner=bacon_farm).shipping_charge
    assert balance(tea_farm) == Decimal("120.00") + tea_shipping
    assert balance(bacon_farm) == Decimal("45.50") + bacon_shipping
    entries = LedgerEntry.objects.filter(partner=tea_farm)
    assert {entry.kind for entry in entries} == {"goods"} | ({"shipping"} if tea_shipping else set())
    assert all(entry.order_id == order.pk and entry.occurred_at == order.paid_at for entry in entries)
    assert ledger_check()[2]


def test_posting_twice_adds_nothing(two_suppliers):
    _tea_farm, _bacon_farm, tea, _bacon = two_suppliers
    order = transfer_order(UserFactory(), (tea, 1))
    before = LedgerEntry.objects.count()
    assert ledger_credit_order(order=order) == []
    assert LedgerEntry.objects.count() == before


def test_an_unpaid_order_credits_nobody(two_suppliers):
    from tests.integration.shop.support import basket_for, place

    _tea_farm, _bacon_farm, tea, _bacon = two_suppliers
    buyer = UserFactory()
    place(buyer, basket_for(buyer, (tea, 1)))
    assert not LedgerEntry.objects.exists()


def test_cash_on_delivery_credits_the_supplier_when_its_parcel_is_delivered(two_suppliers):
    tea_farm, bacon_farm, tea, bacon = two_suppliers
    order = cod_order(UserFactory(), (tea, 1), (bacon, 2))
    assert not LedgerEntry.objects.exists()
    staff = UserFactory(role="supplier")
    tea_farm.users.add(staff)
    ship_and_deliver(order, tea_farm, staff)
    assert balance(tea_farm) == Decimal("60.00") + Shipment.objects.get(order=order, partner=tea_farm).shipping_charge
    assert balance(bacon_farm) == 0
    assert ledger_check()[2]


def test_a_line_refund_debits_that_lines_supplier(two_suppliers):
    tea_farm, bacon_farm, tea, bacon = two_suppliers
    order = online_order(UserFactory(), (tea, 1), (bacon, 1))
    before_tea, before_bacon = balance(tea_farm), balance(bacon_farm)
    line = order.lines.get(partner=bacon_farm)
    confirmed = refund(order, operator(), line=line)
    debit = LedgerEntry.objects.get(refund=confirmed)
    assert debit.partner == bacon_farm and debit.amount == Decimal("-45.50") and debit.line == line
    assert balance(bacon_farm) == before_bacon - Decimal("45.50")
    assert balance(tea_farm) == before_tea
    # The webhook's second delivery of the same refund confirms nothing new.
    assert ledger_debit_refund(refund=confirmed) == []
    assert ledger_check()[2]


def test_a_whole_order_refund_takes_back_from_each_supplier_what_it_was_credited(two_suppliers):
    tea_farm, bacon_farm, tea, bacon = two_suppliers
    order = online_order(UserFactory(), (tea, 1), (bacon, 1))
    refund(order, operator())
    assert balance(tea_farm) == 0 and balance(bacon_farm) == 0
    assert ledger_check()[2]


def test_a_requested_refund_that_is_not_confirmed_debits_nobody(two_suppliers):
    from shop.payment.services import refund_request

    tea_farm, _bacon_farm, tea, _bacon = two_suppliers
    order = online_order(UserFactory(), (tea, 1))
    before = balance(tea_farm)
    refund_request(order=order, user=operator(), gateway=FakeGateway())
    assert balance(tea_farm) == before


def test_entries_cannot_be_changed_or_deleted(two_suppliers):
    _tea_farm, _bacon_farm, tea, _bacon = two_suppliers
    transfer_order(UserFactory(), (tea, 1))
    entry = LedgerEntry.objects.first()
    entry.amount = Decimal("1.00")
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.all().delete()
    # Below the model, the database refuses too.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE settlement_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("60.00")


def test_ledger_check_fails_when_the_ledger_and_the_orders_disagree(two_suppliers):
    tea_farm, _bacon_farm, tea, _bacon = two_suppliers
    order = transfer_order(UserFactory(), (tea, 1))
    out = StringIO()
    call_command("ledger_check", stdout=out)
    assert "agrees" in out.getvalue()
    LedgerEntry.objects.create(
        partner=tea_farm,
        kind="goods",
        amount=Decimal("5.00"),
        order=order,
        source="stray",
        occurred_at=datetime(2026, 3, 1, tzinfo=SHANGHAI),
    )
    with pytest.raises(CommandError, match="differs"):
        call_command("ledger_check")


def test_the_ledger_equals_paid_lines_less_refunds_after_a_random_sequence(settings):
    """Payments by transfer, online and cash on delivery, line refunds (as after-sales claims make them), whole
    refunds, and buyers cancelling before or after payment with the refund made later (online: the gateway confirms;
    transfer: the operator records the bank refund), in a random order: the ledger always equals what the orders say,
    and every order cancelled after payment nets to zero once refunded and is owed to its buyer until then."""
    from shop.order.services import order_cancel_by_buyer
    from shop.payment.selectors import refunds_owed
    from shop.payment.services import cancelled_order_refund_transfer, refund_confirm
    from tests.integration.shop.support import basket_for, place

    rng = random.Random(20260316)
    suppliers = [
        CertifiedPartnerFactory(shipping_rate=Decimal(rate), allows_cash_on_delivery=True)
        for rate in ("0.00", "8.00", "12.50")
    ]
    staff = {partner.pk: UserFactory(role="supplier") for partner in suppliers}
    for partner in suppliers:
        partner.users.add(staff[partner.pk])
    products = [
        certified_product(partner=partner, price=price, stock=1000)
        for partner in suppliers
        for price in ("19.90", "68.00", "128.88")
    ]
    desk = operator()
    online, cod, transfers, unpaid = [], [], [], []
    pending_refunds, cancelled_paid = [], []
    # Orders are placed more often than they are cancelled or refunded, so each kind of step finds orders to act on.
    actions = [
        "transfer",
        "transfer",
        "online",
        "online",
        "online",
        "cod",
        "unpaid",
        "deliver",
        "claim",
        "refund_all",
        "cancel_unpaid",
        "cancel_transfer",
        "cancel_online",
        "return_transfer",
        "confirm_refund",
    ]
    for _step in range(60):
        action = rng.choice(actions)
        items = [(product, rng.randint(1, 3)) for product in rng.sample(products, rng.randint(1, 4))]
        if action == "transfer":
            transfers.append(transfer_order(UserFactory(), *items, staff=desk))
        elif action == "online":
            online.append(online_order(UserFactory(), *items))
        elif action == "cod":
            cod.append(cod_order(UserFactory(), *items))
        elif action == "unpaid":
            buyer = UserFactory()
            unpaid.append(place(buyer, basket_for(buyer, *items)).order)
        elif action == "deliver" and cod:
            order = cod.pop(rng.randrange(len(cod)))
            partner = rng.choice(sorted({line.partner for line in order.lines.all()}, key=lambda p: p.pk))
            ship_and_deliver(order, partner, staff[partner.pk])
        elif action == "claim" and online:
            order = rng.choice(online)
            open_lines = [line for line in order.lines.all() if not line.refunds.exists()]
            if open_lines and not order.refunds.filter(line__isnull=True).exists():
                refund(order, desk, line=rng.choice(open_lines))
        elif action == "refund_all" and online:
            order = online.pop(rng.randrange(len(online)))
            if not order.refunds.filter(line__isnull=True).exists():
                try:
                    refund(order, desk)
                except Exception:  # nothing left to refund after line refunds
                    pass
        elif action == "cancel_unpaid" and unpaid:
            order = unpaid.pop(rng.randrange(len(unpaid)))
            before = LedgerEntry.objects.count()
            order_cancel_by_buyer(order=order, user=order.user)
            assert LedgerEntry.objects.count() == before
        elif action == "cancel_transfer" and transfers:
            order = transfers.pop(rng.randrange(len(transfers)))
            before = LedgerEntry.objects.count()
            order, _none = order_cancel_by_buyer(order=order, user=order.user)
            assert LedgerEntry.objects.count() == before
            cancelled_paid.append(order)
        elif action == "cancel_online" and [order for order in online if not order.refunds.exists()]:
            # An order no refund has touched yet (claims come after shipping, which ends cancelling).
            order = rng.choice([order for order in online if not order.refunds.exists()])
            online.remove(order)
            order, requested = order_cancel_by_buyer(order=order, user=order.user, gateway=FakeGateway())
            pending_refunds.append(requested)
            cancelled_paid.append(order)
        elif action == "return_transfer":
            owed = [order for order in refunds_owed(user=desk) if order.payment_method == "transfer"]
            if owed:
                cancelled_order_refund_transfer(order=rng.choice(owed), user=desk, bank_reference="ICBC 20260316")
        elif action == "confirm_refund" and pending_refunds:
            refund_confirm(refund=pending_refunds.pop(rng.randrange(len(pending_refunds))))
        ledger, expected, agree = ledger_check()
        assert agree, (action, ledger, expected)
        owed_numbers = set(refunds_owed(user=desk).values_list("number", flat=True))
        for order in cancelled_paid:
            net = sum((entry.amount for entry in LedgerEntry.objects.filter(order=order)), Decimal("0.00"))
            assert net == (order.total_incl_tax if order.number in owed_numbers else Decimal("0.00")), order.number
    assert LedgerEntry.objects.filter(kind="refund").exists()
    assert Refund.objects.filter(status="succeeded").exists()
    # The sequence did cancel after payment and refund both ways.
    assert {order.payment_method for order in cancelled_paid} == {"transfer", "stripe"}
    assert Refund.objects.filter(line__isnull=True, bank_reference__contains="ICBC").exists()
    refunded_online = Refund.objects.filter(
        status="succeeded", order__status="cancelled", order__payment_method="stripe"
    )
    assert refunded_online.exists()


def test_the_half_month_boundary_is_a_shanghai_date():
    from operations.halfmonths import half_month_bounds

    assert half_month_bounds(date(2024, 2, 15)) == (date(2024, 2, 1), date(2024, 2, 15))
    assert half_month_bounds(date(2024, 2, 16)) == (date(2024, 2, 16), date(2024, 2, 29))
    assert half_month_bounds(date(2023, 2, 28)) == (date(2023, 2, 16), date(2023, 2, 28))
    assert half_month_bounds(date(2026, 12, 31)) == (date(2026, 12, 16), date(2026, 12, 31))
