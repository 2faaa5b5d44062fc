"""Reads of invoices: who sees which."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.permissions import CONFIRM_TRANSFERS, ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES, VIEW_ALL_ORDERS
from shop.invoicing.models import AcceptedLine, Invoice, InvoiceStatus, UnitOrder, UnitOrderStatus
from shop.order import selectors as order_selectors

Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")

# Accepted and not yet paid by the unit: these can be overdue.
UNPAID = (UnitOrderStatus.ACCEPTED, UnitOrderStatus.INVOICED)


def invoices_to_issue(user):
    """The invoices a supplier's staff issue (their supplier's), or every one for the platform."""
    invoices = Invoice.objects.select_related("request__order", "partner", "request")
    if user.has_perm(ISSUE_ALL_INVOICES):
        return invoices
    if user.has_perm(ISSUE_OWN_INVOICES):
        return invoices.filter(partner__users=user)
    return invoices.none()


def invoice_for_download(user, pk):
    """The invoice if this person may download it (the buyer of the order, its supplier, the platform), else None."""
    invoice = Invoice.objects.select_related("request__order__unit", "partner").filter(pk=pk).first()
    if invoice is None or not user.is_authenticated:
        return None
    order = invoice.request.order
    if order.user_id == user.pk or (order.unit_id and order.unit.members.filter(pk=user.pk).exists()):
        return invoice
    if user.has_perm(ISSUE_ALL_INVOICES) or user.has_perm(VIEW_ALL_ORDERS):
        return invoice
    if user.has_perm(ISSUE_OWN_INVOICES) and invoice.partner.users.filter(pk=user.pk).exists():
        return invoice
    return None


def invoices_to_issue_count(*, user):
    return invoices_to_issue(user).filter(status="requested").count()


def overdue_unit_orders(*, units=None, today=None):
    """Unit orders accepted and not yet paid whose payment deadline has passed (oldest deadline first)."""
    today = today or timezone.localdate()
    overdue = UnitOrder.objects.filter(status__in=UNPAID, payment_due_on__lt=today).select_related("order", "unit")
    if units is not None:
        overdue = overdue.filter(unit__in=units)
    return overdue.order_by("payment_due_on", "pk")


def overdue_by_unit(*, region, today=None):
    """Per unit in an office's jurisdiction: how many orders are overdue and for how much (one grouped query)."""
    return (
        overdue_unit_orders(today=today)
        .filter(unit__region__code__startswith=region.prefix)
        .values("unit", "unit__name")
        .annotate(orders=Count("pk"), amount=Sum("accepted_amount"), oldest=Min("payment_due_on"))
        .order_by("oldest", "unit__name")
    )


def unit_orders_of(user):
    """The unit orders a person follows: their units' (members), every one for the operator, their suppliers'."""
    unit_orders = UnitOrder.objects.select_related("order", "unit")
    if user.has_perm(CONFIRM_TRANSFERS):
        return unit_orders
    return unit_orders.filter(Q(unit__members=user) | Q(order__lines__partner__users=user)).distinct()


def unit_todo(*, user, today=None):
    """For a unit member's to-do page: orders to accept, invoices received, payments due and overdue."""
    today = today or timezone.localdate()
    mine = UnitOrder.objects.filter(unit__members=user)
    counts = mine.aggregate(
        to_accept=Count("pk", filter=Q(status=UnitOrderStatus.AWAITING_ACCEPTANCE)),
        to_pay=Count("pk", filter=Q(status=UnitOrderStatus.INVOICED)),
        overdue=Count("pk", filter=Q(status__in=UNPAID, payment_due_on__lt=today)),
    )
    counts["invoices_received"] = Invoice.objects.filter(
        request__order__unit__members=user, status__in=[InvoiceStatus.ISSUED, InvoiceStatus.SENT]
    ).count()
    return counts


# --- what each person sees of a unit order ---
#
# The unit's members and the platform's operator follow the whole order. A supplier's staff follow their own
# supplier's part: its lines, what was accepted of them, its invoice and its amount. The acceptance note and photo and
# the payment voucher describe the whole delivery and the unit's one transfer to the platform's account (the order's
# transfer reference), so a supplier sees them only when it is the order's only supplier; on an order shared with other
# suppliers it sees the payment's state and date, and is credited its own part when the operator confirms the payment.


def unit_order_partners(user, unit_order):
    """None when this person follows the whole order; otherwise the ids of their suppliers with lines in it."""
    if user.has_perm(CONFIRM_TRANSFERS) or unit_order.unit.members.filter(pk=user.pk).exists():
        return None
    return set(
        Line.objects.filter(order_id=unit_order.order_id, partner__users=user)
        .values_list("partner_id", flat=True)
        .distinct()
    )


def accepted_by_partner(unit_order_ids):
    """{(unit order id, supplier id): accepted amount} — the accepted lines at their prices plus the supplier's shipping
    when any of its goods were accepted, as the acceptance computes each invoice's amount; two grouped queries."""
    amounts = {}
    rows = (
        AcceptedLine.objects.filter(unit_order_id__in=unit_order_ids)
        .values_list("unit_order_id", "line__partner_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for unit_order_id, partner_id, total in rows:
        amounts[unit_order_id, partner_id] = total or Decimal("0.00")
    shipping = (
        Shipment.objects.filter(order__unit_progress__in=unit_order_ids)
        .values_list("order__unit_progress", "partner_id", "shipping_charge")
        .order_by()
    )
    for unit_order_id, partner_id, charge in shipping:
        if amounts.get((unit_order_id, partner_id)):
            amounts[unit_order_id, partner_id] += charge
    return amounts


def with_shown_amounts(user, unit_orders):
    """The page's unit orders, each with `shown_amount`: the whole accepted amount for the unit's members and the
    operator, the supplier's own part for a supplier's staff (None before acceptance)."""
    unit_orders = list(unit_orders)
    if user.has_perm(CONFIRM_TRANSFERS):
        for unit_order in unit_orders:
            unit_order.shown_amount = unit_order.accepted_amount
        return unit_orders
    member_of = set(user.units.values_list("pk", flat=True))
    partial = [unit_order.pk for unit_order in unit_orders if unit_order.unit_id not in member_of]
    own = set(user.partners.values_list("pk", flat=True)) if partial else set()
    amounts = accepted_by_partner(partial) if partial else {}
    for unit_order in unit_orders:
        if unit_order.unit_id in member_of or unit_order.accepted_amount is None:
            unit_order.shown_amount = unit_order.accepted_amount
        else:
            unit_order.shown_amount = sum(
                (amounts.get((unit_order.pk, partner_id), Decimal("0.00")) for partner_id in own), Decimal("0.00")
            )
    return unit_orders


@dataclass
class UnitOrderPart:
    """What one person sees of a unit order."""

    lines: list
    invoices: list
    recipients: list
    amount: Decimal | None
    whole: bool  # sees the whole order: the unit, the operator, or the order's only supplier
    member: bool


def unit_order_part(*, user, unit_order):
    """The lines (with what was accepted of each), invoices, recipients and accepted amount this person may see."""
    partners = unit_order_partners(user, unit_order)
    order = unit_order.order
    accepted = {row.line_id: row for row in unit_order.accepted_lines.all()}
    lines = Line.objects.filter(order=order).select_related("partner").order_by("pk")
    invoices = Invoice.objects.filter(request__order=order).select_related("partner")
    recipients = order_selectors.order_recipients(order=order)
    amount = unit_order.accepted_amount
    whole = True
    if partners is not None:
        lines = lines.filter(partner_id__in=partners)
        invoices = invoices.filter(partner_id__in=partners)
        recipients = recipients.filter(line__partner_id__in=partners)
        whole = not Line.objects.filter(order=order).exclude(partner_id__in=partners).exists()
        if amount is not None and not whole:
            amounts = accepted_by_partner([unit_order.pk])
            amount = sum((amounts.get((unit_order.pk, pk), Decimal("0.00")) for pk in partners), Decimal("0.00"))
    return UnitOrderPart(
        lines=[(line, accepted.get(line.pk)) for line in lines],
        invoices=list(invoices),
        recipients=list(recipients),
        amount=amount,
        whole=whole,
        member=partners is None and unit_order.unit.members.filter(pk=user.pk).exists(),
    )


def unit_order_file_visible(*, user, unit_order):
    """The acceptance photo and the payment voucher: to those who see the whole order."""
    partners = unit_order_partners(user, unit_order)
    return (
        partners is None
        or not Line.objects.filter(order_id=unit_order.order_id).exclude(partner_id__in=partners).exists()
    )
