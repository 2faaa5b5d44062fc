"""Writes on the settlement ledger and statements: posting credits and debits, drawing and paying statements."""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.errors import BadRequest
from accounts.permissions import PAY_STATEMENTS, require
from operations.halfmonths import half_month_bounds
from settlement.models import LedgerEntry, LedgerEntryKind, Statement, StatementStatus
from shop.order import statuses

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")
Refund = get_model("payment", "Refund")

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class SettlementError(BadRequest, ValidationError):
    """A settlement change that is not allowed; the message says why."""


def money(value):
    return (value or ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def _post(*, source, **fields):
    """One entry, once: a second posting of the same source changes nothing."""
    if LedgerEntry.objects.filter(source=source).exists():
        return None
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(source=source, **fields)
    except IntegrityError:
        # Another transaction posted the same source in between: the unique constraint kept it once.
        return None


def ledger_credit_supplier(*, order, partner_id, occurred_at):
    """Credit one supplier for its lines of a paid or received order, and for its own shipping charge.

    Every line of a paid order is credited, as `settlement.selectors.received_lines` counts it: a line the buyer
    cancels after payment keeps its credit until the refund is made, which debits it."""
    posted = []
    lines = Line.objects.filter(order=order, partner_id=partner_id)
    if order.paid_at is None:
        # Cash on delivery: only what was delivered was received.
        lines = lines.exclude(status=statuses.CANCELLED)
    for line in lines:
        posted.append(
            _post(
                source=f"line:{line.pk}",
                partner_id=partner_id,
                kind=LedgerEntryKind.GOODS,
                amount=money(line.line_price_incl_tax),
                order=order,
                line=line,
                occurred_at=occurred_at,
            )
        )
    shipment = Shipment.objects.filter(order=order, partner_id=partner_id).first()
    if shipment is not None and shipment.shipping_charge:
        posted.append(
            _post(
                source=f"shipping:{shipment.pk}",
                partner_id=partner_id,
                kind=LedgerEntryKind.SHIPPING,
                amount=money(shipment.shipping_charge),
                order=order,
                occurred_at=occurred_at,
            )
        )
    return [entry for entry in posted if entry is not None]


def ledger_credit_order(*, order):
    """Credit every supplier of a paid order."""
    if order.paid_at is None:
        return []
    partner_ids = Line.objects.filter(order=order).values_list("partner_id", flat=True).distinct()
    posted = []
    for partner_id in sorted({pk for pk in partner_ids if pk}):
        posted += ledger_credit_supplier(order=order, partner_id=partner_id, occurred_at=order.paid_at)
    return posted


def _refund_shares(refund):
    """[(partner id, amount)] a confirmed refund takes back: a line's from its supplier; a whole order's from each
    supplier in turn, up to what it was credited for this order, the last taking any remainder."""
    if refund.line_id:
        return [(refund.line.partner_id, refund.amount)]
    order = refund.order
    credited = dict(
        LedgerEntry.objects.filter(order=order).values_list("partner").annotate(total=Sum("amount")).order_by()
    )
    partner_ids = sorted(
        {pk for pk in Line.objects.filter(order=order).values_list("partner_id", flat=True) if pk} | set(credited)
    )
    if not partner_ids:
        return []
    shares, left = [], refund.amount
    for partner_id in partner_ids:
        share = min(max(credited.get(partner_id, ZERO), ZERO), left)
        shares.append([partner_id, share])
        left -= share
    shares[-1][1] += left
    return [(partner_id, amount) for partner_id, amount in shares if amount]


def ledger_debit_refund(*, refund):
    """Debit the suppliers of a confirmed refund."""
    if refund.status != Refund.SUCCEEDED:
        return []
    occurred_at = refund.confirmed_at or timezone.now()
    posted = [
        _post(
            source=f"refund:{refund.pk}:{partner_id}",
            partner_id=partner_id,
            kind=LedgerEntryKind.REFUND,
            amount=-money(amount),
            order_id=refund.order_id,
            line_id=refund.line_id,
            refund=refund,
            occurred_at=occurred_at,
        )
        for partner_id, amount in _refund_shares(refund)
    ]
    return [entry for entry in posted if entry is not None]


# --- statements ---


def start_of(day):
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def last_completed_period(today):
    start, _end = half_month_bounds(today)
    return half_month_bounds(start - timedelta(days=1))


def fee_rate():
    return Decimal(str(settings.SETTLEMENT_FEE_RATE))


def _period_totals(start, end):
    """{partner id: {kind: total}} of the entries dated in the period: one grouped query."""
    rows = (
        LedgerEntry.objects.filter(occurred_at__gte=start_of(start), occurred_at__lt=start_of(end + timedelta(days=1)))
        .values("partner", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = {}
    for row in rows:
        totals.setdefault(row["partner"], {})[row["kind"]] = row["total"]
    return totals


def _carried_balances(before):
    """{partner id: closing balance of its latest statement before the date}, where that balance is not zero."""
    latest = Statement.objects.filter(partner=OuterRef("partner"), period_start__lt=before).order_by("-period_start")
    rows = (
        Statement.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .exclude(closing_balance=0)
        .values_list("partner_id", "closing_balance")
    )
    return dict(rows)


def statement_figures(*, opening, goods, shipping, refunds, rate):
    """The statement's arithmetic, in one place: the fee is taken on the period's net sales (never below zero), all
    that is owed is payable, and what is not (more refunds than sales) is carried as the closing balance."""
    net = goods + shipping - refunds
    fee = money(max(net, ZERO) * rate)
    balance = opening + net - fee
    payable = max(balance, ZERO)
    return {"fee_amount": fee, "payable_amount": payable, "closing_balance": balance - payable}


def statements_for_period(*, start, end):
    """Draw the statements of one half month for every supplier with entries in it or a balance carried into it.

    Idempotent: a supplier that has its statement for the period keeps it. Returns the statements created.
    """
    totals = _period_totals(start, end)
    carried = _carried_balances(start)
    existing = set(Statement.objects.filter(period_start=start).values_list("partner_id", flat=True))
    rate = fee_rate()
    created = []
    with transaction.atomic():
        for partner_id in sorted((set(totals) | set(carried)) - existing):
            kinds = totals.get(partner_id, {})
            goods = money(kinds.get(LedgerEntryKind.GOODS))
            shipping = money(kinds.get(LedgerEntryKind.SHIPPING))
            refunds = -money(kinds.get(LedgerEntryKind.REFUND))
            opening = carried.get(partner_id, ZERO)
            statement = Statement(
                partner_id=partner_id,
                period_start=start,
                period_end=end,
                opening_balance=opening,
                goods_amount=goods,
                shipping_amount=shipping,
                refunds_amount=refunds,
                fee_rate=rate,
                **statement_figures(opening=opening, goods=goods, shipping=shipping, refunds=refunds, rate=rate),
            )
            statement.full_clean()
            statement.save()
            created.append(statement)
        ids = [statement.pk for statement in created]
        if ids:
            transaction.on_commit(lambda: statements_notify(statement_ids=ids))
    return created


def statements_generate(*, today=None):
    """Statements for every half month that ended since the last one drawn (the periodic job runs it daily)."""
    today = today or timezone.localdate()
    last_start, last_end = last_completed_period(today)
    latest = Statement.objects.order_by("-period_start").values_list("period_end", flat=True).first()
    if latest is not None:
        start = latest + timedelta(days=1)
    else:
        first = LedgerEntry.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
        if first is None:
            return []
        start = half_month_bounds(first.astimezone(SHANGHAI).date())[0]
    # A period already drawn is drawn again only for suppliers that have none (idempotent).
    start = min(start, last_start)
    created = []
    while start <= last_start:
        period_start, period_end = half_month_bounds(start)
        created += statements_for_period(start=period_start, end=period_end)
        start = period_end + timedelta(days=1)
    return created


def statement_recipients(partner):
    emails = {user.email for user in partner.users.all() if user.email and user.is_active}
    if partner.contact_email:
        emails.add(partner.contact_email)
    return sorted(emails)


def statements_notify(*, statement_ids):
    """E-mail each supplier that its statement is ready (the mail backend queues it)."""
    statements = (
        Statement.objects.filter(pk__in=statement_ids).select_related("partner").prefetch_related("partner__users")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for statement in statements:
            recipients = statement_recipients(statement.partner)
            if not recipients:
                continue
            send_mail(
                subject=_("Your settlement statement for %(start)s–%(end)s is ready")
                % {"start": f"{statement.period_start:%Y-%m-%d}", "end": f"{statement.period_end:%Y-%m-%d}"},
                message=render_to_string("settlement/emails/statement_ready.txt", {"statement": statement}),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )


def statement_mark_paid(*, statement, user, bank_reference, paid_on):
    """The operator records the transfer to the supplier; a paid statement is final."""
    require(user, PAY_STATEMENTS)
    bank_reference = (bank_reference or "").strip()
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = _("Enter the bank reference of the transfer.")
    if not isinstance(paid_on, date):
        errors["paid_on"] = _("Enter the date of the transfer.")
    elif paid_on < statement.period_end:
        errors["paid_on"] = _("A statement cannot be paid before its period ends.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("The date of the transfer cannot be in the future.")
    if errors:
        raise SettlementError(errors)
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.status == StatementStatus.PAID:
            raise SettlementError(_("This statement is already paid; a paid statement cannot be changed."))
        statement.bank_reference, statement.paid_on = bank_reference, paid_on
        statement.full_clean()
        statement.set_status(to=StatementStatus.PAID, by=user, reason=bank_reference)
    return statement
