"""Refunds from the dashboard: asked of the gateway here, confirmed by its webhook."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.permissions import REFUND_ORDERS, require
from shop.order import statuses
from shop.order.services import OrderError
from shop.payment.gateway import GatewayError
from shop.payment.signals import refund_succeeded

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
Refund = get_model("payment", "Refund")
Source = get_model("payment", "Source")

OPEN = [Refund.REQUESTED, Refund.SUCCEEDED]
CENT = Decimal("0.01")


def refundable_amount(order):
    taken = order.refunds.filter(status__in=OPEN).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return order.total_incl_tax - taken


def refund_request(*, order, user, gateway, line=None, reason=""):
    """Ask the gateway to refund a whole order (what is left of it) or one line."""
    require(user, REFUND_ORDERS)
    return refund_start(order=order, requested_by=user, gateway=gateway, line=line, reason=reason)


def refund_start(*, order, requested_by, gateway, line=None, amount=None, reason=""):
    """Ask the gateway for a refund that a rule of the shop grants (a cancelled order, an agreed claim).

    Without `amount`, the whole line or what is left of the order; with it, that much of the line (a partial refund,
    which leaves the line's status as it is).
    """
    if order.payment_method != Order.STRIPE or order.paid_at is None:
        raise OrderError(_("Only orders paid online can be refunded here; settle other refunds by bank transfer."))
    if gateway is None:
        raise OrderError(_("Online payment is not configured, so no refund can be sent."))
    source = order.sources.filter(source_type__code=Order.STRIPE).order_by("-pk").first()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if line is not None:
            if line.order_id != order.pk:
                raise OrderError(_("That line does not belong to this order."))
            taken = line.refunds.filter(status__in=OPEN).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
            left = line.line_price_incl_tax - taken
            if left <= 0:
                raise OrderError(_("This line has already been refunded."))
            amount = left if amount is None else amount
            if amount > left:
                raise OrderError(
                    _("At most ¥%(left)s of this line can still be refunded.") % {"left": left.quantize(CENT)}
                )
        elif amount is None:
            amount = refundable_amount(order)
        if amount <= 0 or amount > refundable_amount(order):
            raise OrderError(_("Nothing is left to refund on this order."))
        refund = Refund.objects.create(
            order=order, line=line, amount=amount, reason=reason[:255], requested_by=requested_by
        )
    try:
        result = gateway.refund(payment_reference=source.reference, amount=amount, refund_id=refund.pk)
    except GatewayError as error:
        refund.status = Refund.FAILED
        refund.save(update_fields=["status"])
        raise OrderError(_("The payment service refused the refund: %(error)s") % {"error": error})
    refund.gateway_reference = result.reference
    refund.save(update_fields=["gateway_reference"])
    return refund


def refund_confirm(*, refund):
    """The gateway says the money went back: record it on the payment source, the lines and the order."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == Refund.SUCCEEDED:
            return refund, False
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        refund.status, refund.confirmed_at = Refund.SUCCEEDED, timezone.now()
        refund.save(update_fields=["status", "confirmed_at"])
        source = order.sources.filter(source_type__code=Order.STRIPE).order_by("-pk").first()
        if source is not None:
            source.refund(refund.amount, reference=refund.gateway_reference or "")
        lines = [refund.line] if refund.line_id else list(order.lines.all())
        if refund.line_id:
            line_refunded = refund.line.refunds.filter(status=Refund.SUCCEEDED).aggregate(total=Sum("amount"))["total"]
            if line_refunded < refund.line.line_price_incl_tax:
                lines = []
        for line in lines:
            if line.status != statuses.REFUNDED:
                line.status = statuses.REFUNDED
                line.save(update_fields=["status"])
        refunded = order.refunds.filter(status=Refund.SUCCEEDED).aggregate(total=Sum("amount"))["total"]
        if refunded >= order.total_incl_tax or not order.lines.exclude(status=statuses.REFUNDED).exists():
            if statuses.REFUNDED in order.available_statuses():
                order.set_status(statuses.REFUNDED)
        refund_succeeded.send(sender=Refund, refund=refund)
    return refund, True


def bank_reference_clean(bank_reference, *, field="bank_reference"):
    """The bank reference of a refund transfer, required: it is how the buyer and the bank find the money."""
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise OrderError({field: _("Enter the bank reference of the refund transfer.")})
    if len(bank_reference) > Refund._meta.get_field("bank_reference").max_length:
        raise OrderError({field: _("The bank reference is at most 120 characters.")})
    return bank_reference


def refund_record_transfer(*, order, line, amount=None, user, bank_reference, reason=""):
    """Record a refund the platform returned by bank transfer (an order not paid online) as confirmed at once, with
    the transfer's bank reference (required).

    Without `amount`, what is left of the line, or with no line what is left of the whole order. Like a confirmed
    online refund it marks a fully refunded line, and the settlement ledger debits the line's supplier (a whole
    order's suppliers each up to what it was credited). The caller holds the row locks it needs.
    """
    bank_reference = bank_reference_clean(bank_reference)
    if line is not None:
        if line.order_id != order.pk:
            raise OrderError(_("That line does not belong to this order."))
        taken = line.refunds.filter(status__in=OPEN).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        left = line.line_price_incl_tax - taken
    else:
        left = refundable_amount(order)
    amount = left if amount is None else amount
    if amount <= 0 or amount > left:
        if line is None:
            raise OrderError(_("Nothing is left to refund on this order."))
        raise OrderError(_("At most ¥%(left)s of this line can still be refunded.") % {"left": left.quantize(CENT)})
    refund = Refund.objects.create(
        order=order,
        line=line,
        amount=amount,
        reason=(reason or "")[:255],
        bank_reference=bank_reference,
        requested_by=user,
    )
    refund, _changed = refund_confirm(refund=refund)
    return refund


def cancelled_order_refund_transfer(*, order, user, bank_reference):
    """The operator records that the payment of an order cancelled after it was paid (not online) went back to the
    buyer by bank transfer. What is left of the order is refunded at once, and the settlement ledger debits each
    supplier what it was credited, dated now; the order then nets to zero."""
    require(user, REFUND_ORDERS)
    bank_reference = bank_reference_clean(bank_reference)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != statuses.CANCELLED or order.paid_at is None:
            raise OrderError(
                _("Order %(number)s was not cancelled after payment; refund it from its lines or claims.")
                % {"number": order.number}
            )
        if order.payment_method == Order.STRIPE:
            raise OrderError(
                _("Order %(number)s was paid online: its refund goes back through the payment service.")
                % {"number": order.number}
            )
        refund = refund_record_transfer(
            order=order,
            line=None,
            user=user,
            bank_reference=bank_reference,
            reason=_("Cancelled by the buyer; returned by bank transfer."),
        )
        OrderNote.objects.create(
            order=order,
            user=user,
            note_type="System",
            message=_("¥%(amount)s returned to the buyer by bank transfer (%(reference)s), recorded by %(user)s.")
            % {
                "amount": refund.amount.quantize(CENT),
                "reference": bank_reference,
                "user": user.get_full_name() or user.email,
            },
        )
    return refund


def refund_fail(*, refund):
    Refund.objects.filter(pk=refund.pk, status=Refund.REQUESTED).update(status=Refund.FAILED)
