"""Reads of invoices: who sees which."""

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from accounts.permissions import CONFIRM_TRANSFERS, ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES, VIEW_ALL_ORDERS
from shop.invoicing.models import Invoice, InvoiceStatus, UnitOrder, UnitOrderStatus

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
