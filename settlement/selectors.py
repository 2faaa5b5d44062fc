"""Reads of the settlement ledger and statements: who sees which, and the ledger's check against the orders."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from oscar.core.loading import get_model

from accounts.permissions import PAY_STATEMENTS, VIEW_OWN_STATEMENTS
from settlement.models import LedgerEntry, Statement, StatementStatus
from settlement.services import start_of
from shop.order import statuses
from suppliers.models import HouseholdLink
from suppliers.selectors import household_income_by_mechanism

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")
Refund = get_model("payment", "Refund")

ZERO = Decimal("0.00")


def statements_visible_to(user):
    """Every statement for the operator; a supplier's own for its staff; none for anyone else."""
    statements = Statement.objects.select_related("partner")
    if user.has_perm(PAY_STATEMENTS):
        return statements
    if user.has_perm(VIEW_OWN_STATEMENTS):
        return statements.filter(partner__users=user)
    return statements.none()


def statement_entries(statement):
    return (
        LedgerEntry.objects.filter(
            partner_id=statement.partner_id,
            occurred_at__gte=start_of(statement.period_start),
            occurred_at__lt=start_of(statement.period_end + timedelta(days=1)),
        )
        .select_related("order", "line", "refund")
        .order_by("occurred_at", "pk")
    )


def statements_ready_count(*, user):
    """Statements of the user's suppliers that are ready and not yet paid."""
    return Statement.objects.filter(partner__users=user, status=StatementStatus.READY).count()


def statements_to_pay(*, limit=10):
    pending = Statement.objects.filter(status=StatementStatus.READY, payable_amount__gt=0)
    return {
        "count": pending.count(),
        "total": pending.aggregate(total=Sum("payable_amount"))["total"] or ZERO,
        "rows": list(pending.select_related("partner").order_by("period_start", "partner_id")[:limit]),
    }


def received_lines():
    """Order lines whose money the platform received: every line of a paid order (also one the buyer cancelled after
    paying: that money is owed back to the buyer, and comes off as a refund once it is returned), or a cash-on-delivery
    line whose parcel was delivered."""
    delivered = Shipment.objects.filter(
        order=OuterRef("order"), partner=OuterRef("partner"), delivered_at__isnull=False
    )
    cod_delivered = Q(Exists(delivered), order__payment_method=Order.COD) & ~Q(status=statuses.CANCELLED)
    return Line.objects.filter(Q(order__paid_at__isnull=False) | cod_delivered)


def ledger_expected_total():
    """Paid (or received) lines and their suppliers' shipping, less confirmed refunds, from the orders themselves.

    An order cancelled after payment counts as paid until its refund is confirmed, so it nets to zero once refunded;
    until then it is owed to the buyer (`shop.payment.selectors.refunds_owed`).
    """
    lines = received_lines().aggregate(total=Sum("line_price_incl_tax"))["total"] or ZERO
    received = received_lines().filter(order=OuterRef("order"), partner=OuterRef("partner"))
    shipping = Shipment.objects.filter(Exists(received)).aggregate(total=Sum("shipping_charge"))["total"] or ZERO
    refunds = Refund.objects.filter(status=Refund.SUCCEEDED).aggregate(total=Sum("amount"))["total"] or ZERO
    return lines + shipping - refunds


def ledger_total():
    return LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or ZERO


def ledger_check():
    """(ledger total, expected total, whether they agree)."""
    ledger, expected = ledger_total(), ledger_expected_total()
    return ledger, expected, ledger == expected


# --- What sales bring poor households (带贫益贫), from the ledger ---


def order_household_income(*, order):
    """The order's settled amount by its suppliers' household-linkage mechanisms, with the estimated income reaching
    poor households, in one query.

    The amounts are the order's ledger entries: what each supplier was credited (its lines and its own shipping) less
    the refunds and granted claims debited since, so a partial refund lowers the figure by exactly its amount. An
    order not yet paid (or cash on delivery not yet delivered) has no entries and no rows.
    """
    return household_income_by_mechanism(entries=LedgerEntry.objects.filter(order=order))


def order_awaits_settlement(*, order):
    """Whether an order with no ledger entries yet has lines, not cancelled, of suppliers that declared a linkage."""
    return (
        Line.objects.filter(order=order, partner__household_links__isnull=False)
        .exclude(status=statuses.CANCELLED)
        .exists()
    )


def household_income(*, region, year):
    """The jurisdiction's suppliers' online sales in a year by household-linkage mechanism, with the estimated income
    reaching poor households.

    From the settlement ledger: the credits (paid lines and the suppliers' own shipping) less the debits (refunds and
    granted claims) dated in the year by the Asia/Shanghai calendar, × the rate each supplier declared for each
    mechanism. Two queries, both aggregated in the database. An amount counts once under each mechanism its supplier
    declares (so the sales column is not to be added up across mechanisms; the income column is). Returns {"rows":
    [one per mechanism, with the households the suppliers declared], "income": the estimate in all, to the fen}.
    """
    entries = LedgerEntry.objects.filter(
        occurred_at__gte=start_of(date(year, 1, 1)),
        occurred_at__lt=start_of(date(year + 1, 1, 1)),
        partner__region__code__startswith=region.prefix,
    )
    figures = household_income_by_mechanism(entries=entries)
    declared = dict(
        HouseholdLink.objects.filter(partner__region__code__startswith=region.prefix)
        .values("mechanism")
        .annotate(households=Sum("households"))
        .values_list("mechanism", "households")
    )
    for row in figures["rows"]:
        row["households"] = declared.get(row["mechanism"], 0)
    return figures
