"""Writes on orders after placement: payment, cancellation, shipping and delivery of each supplier's lines."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.errors import Refusal
from accounts.permissions import CONFIRM_TRANSFERS, FULFIL_OWN_PARCELS, require
from shop.order import statuses
from shop.order.signals import unit_order_paid

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
Shipment = get_model("order", "Shipment")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

logger = logging.getLogger(__name__)

SOURCE_NAMES = {
    Order.STRIPE: "Stripe",
    Order.TRANSFER: "对公转账",
    Order.COD: "货到付款",
}


class OrderError(Refusal, ValidationError):
    """A change to an order that is not allowed now; the message says why."""


def transfer_reference_for(order_number):
    """The code a payer writes on the transfer slip: the order number and a check digit, so a typo is caught."""
    digits = [int(c) for c in order_number if c.isdigit()]
    check = sum((i + 1) * d for i, d in enumerate(digits)) % 10
    return f"XF{order_number}{check}"


def _locked(order):
    return Order.objects.select_for_update().get(pk=order.pk)


def _note(order, message, user=None):
    OrderNote.objects.create(order=order, user=user, note_type="System", message=message)


def order_mark_paid(*, order, amount, reference="", user=None):
    """Record the payment of an order, once. Sends `unit_order_paid` inside the same transaction."""
    with transaction.atomic():
        order = _locked(order)
        if order.paid_at is not None:
            return order, False
        if order.status not in (statuses.PENDING, statuses.REVIEW):
            raise OrderError(
                _("Order %(number)s is “%(status)s” and cannot be marked paid.")
                % {"number": order.number, "status": order.status_label}
            )
        source_type, _created = SourceType.objects.get_or_create(
            code=order.payment_method or "other", defaults={"name": SOURCE_NAMES.get(order.payment_method, "其他")}
        )
        # Each attempt at online payment opened a source; the latest one is the one that was paid.
        source = Source.objects.filter(order=order, source_type=source_type).order_by("-pk").first()
        if source is None:
            source = Source(order=order, source_type=source_type, currency=order.currency)
        source.amount_allocated = amount
        if reference:
            source.reference = reference
        source.save()
        source.debit(amount, reference=reference)
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at"])
        order.set_status(statuses.PAID)
        if order.unit_id:
            unit_order_paid.send(sender=Order, order=order)
        transaction.on_commit(lambda: notify_suppliers(order=order))
    return order, True


def order_flag_payment(*, order, reason):
    """A payment that does not match the order: staff look at it; the order is not paid."""
    with transaction.atomic():
        order = _locked(order)
        if order.status == statuses.PENDING:
            order.set_status(statuses.REVIEW)
        _note(order, reason)
    logger.warning("Order %s flagged for payment review: %s", order.number, reason)
    return order


def transfer_mark_received(*, order, user):
    require(user, CONFIRM_TRANSFERS)
    if order.payment_method != Order.TRANSFER:
        raise OrderError(_("Order %(number)s is not paid by bank transfer.") % {"number": order.number})
    order, changed = order_mark_paid(
        order=order, amount=order.total_incl_tax, reference=order.transfer_reference, user=user
    )
    if changed:
        _note(
            order,
            _("Bank transfer received, confirmed by %(user)s.") % {"user": user.get_full_name() or user.email},
            user,
        )
    return order


def order_cancel_unpaid(*, order, reason, user=None):
    """Cancel an order that was never paid and give its stock back."""
    with transaction.atomic():
        order = _locked(order)
        if order.paid_at is not None or order.status not in (statuses.PENDING, statuses.REVIEW):
            return order, False
        _release_lines(order)
        order.set_status(statuses.CANCELLED)
        _note(order, reason, user)
    return order, True


def _release_lines(order):
    """Give the stock the order's lines hold back to their stock records and cancel the lines (order locked)."""
    lines = list(order.lines.select_related("stockrecord").order_by("stockrecord_id"))
    for line in lines:
        if line.stockrecord_id and line.num_allocated:
            stockrecord = StockRecord.objects.select_for_update().get(pk=line.stockrecord_id)
            stockrecord.cancel_allocation(line.num_allocated)
            line.allocation_cancelled = True
            line.num_allocated = 0
        line.status = statuses.CANCELLED
        line.save(update_fields=["allocation_cancelled", "num_allocated", "status"])


def _check_buyer(order, user):
    if order.user_id is None or order.user_id != user.pk:
        raise PermissionDenied(_("Only the buyer who placed the order can do this."))


def order_cancel_by_buyer(*, order, user, reason="", gateway=None):
    """The buyer cancels an order no supplier has shipped yet: stock goes back and a payment is refunded.

    Returns the order and the refund asked of the gateway (None when nothing was paid online). A refund the gateway
    refuses leaves the order cancelled and the failed refund on the operator's list.
    """
    from shop.payment.gateway import get_gateway
    from shop.payment.services import refund_start

    _check_buyer(order, user)
    reason = (reason or "").strip()[:200]
    with transaction.atomic():
        order = _locked(order)
        if order.status not in statuses.CANCELLABLE or order.shipments.filter(shipped_at__isnull=False).exists():
            raise OrderError(
                _(
                    "Order %(number)s can no longer be cancelled: a parcel has already been shipped or the order is "
                    "closed. Once it arrives you can open an after-sales claim."
                )
                % {"number": order.number}
            )
        _release_lines(order)
        order.set_status(statuses.CANCELLED)
        note = _("Cancelled by the buyer.")
        if reason:
            note = f"{note} {reason}"
        if order.paid_at is not None and order.payment_method != Order.STRIPE:
            note = "{} {}".format(note, _("The payment is to be returned to the buyer by bank transfer."))
        _note(order, note, user)
    refund = None
    if order.paid_at is not None and order.payment_method == Order.STRIPE:
        try:
            refund = refund_start(
                order=order, requested_by=user, gateway=gateway or get_gateway(), reason=_("Cancelled by the buyer.")
            )
        except OrderError as error:
            logger.warning("Refund for cancelled order %s not sent: %s", order.number, error)
            _note(order, _("The refund could not be sent: %(error)s") % {"error": error})
    return order, refund


def _receive(order, user, note):
    """Mark every parcel of a locked order arrived and the order received."""
    now = timezone.now()
    for line in Line.objects.filter(order=order, status=statuses.SHIPPED):
        line.set_status(statuses.DELIVERED)
    Shipment.objects.filter(order=order, shipped_at__isnull=False, delivered_at__isnull=True).update(delivered_at=now)
    order.set_status(statuses.RECEIVED)
    _note(order, note, user)


def order_confirm_receipt(*, order, user):
    """The buyer says every parcel arrived; the order is complete and its lines may be reviewed."""
    _check_buyer(order, user)
    with transaction.atomic():
        order = _locked(order)
        if order.status == statuses.RECEIVED:
            return order
        if order.status not in statuses.RECEIVABLE:
            raise OrderError(
                _("Receipt of order %(number)s can be confirmed once all its parcels have been shipped.")
                % {"number": order.number}
            )
        _receive(order, user, _("Receipt confirmed by the buyer."))
    return order


def orders_auto_receive(*, now=None, days=None):
    """Confirm receipt of orders whose last parcel left more than the configured days ago; returns how many.

    Safe to run again: an order already received is no longer in a receivable status.
    """
    days = settings.ORDER_AUTO_RECEIPT_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    due = (
        Order.objects.filter(status__in=statuses.RECEIVABLE)
        .annotate(last_shipped=Max("shipments__shipped_at"))
        .filter(last_shipped__lt=cutoff)
        .values_list("pk", flat=True)
    )
    received = 0
    for pk in list(due):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            if order.status not in statuses.RECEIVABLE:
                continue
            _receive(
                order,
                None,
                _("Receipt confirmed automatically %(days)s days after the last parcel was shipped.") % {"days": days},
            )
            received += 1
    return received


def orders_release_unpaid(*, now=None, days=None):
    """Cancel bank-transfer orders still unpaid after the configured number of days; returns how many."""
    days = settings.CHECKOUT_TRANSFER_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    # A unit's order is on account: it is paid after acceptance, never released for want of a transfer.
    stale = Order.objects.filter(
        payment_method=Order.TRANSFER,
        status=statuses.PENDING,
        paid_at__isnull=True,
        date_placed__lt=cutoff,
        unit__isnull=True,
    )
    released = 0
    for order in stale:
        _order, changed = order_cancel_unpaid(
            order=order,
            reason=_("No bank transfer arrived within %(days)s days; the stock was released.") % {"days": days},
        )
        released += changed
    return released


def orders_expire_abandoned_online(*, now=None, hours=None, gateway=None):
    """Online-payment orders left unpaid longer than a Checkout Session lives, whose expiry webhook never came.

    Each of the order's sessions still open is expired at the gateway and the order cancelled (stock released); if
    the gateway says one was paid, the order goes to payment review instead. Returns how many orders were cancelled.
    """
    from shop.payment.gateway import GatewayError, get_gateway

    gateway = gateway or get_gateway()
    if gateway is None:
        return 0
    hours = settings.CHECKOUT_ONLINE_ABANDON_HOURS if hours is None else hours
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    stale = Order.objects.filter(
        payment_method=Order.STRIPE, status=statuses.PENDING, paid_at__isnull=True, date_placed__lt=cutoff
    )
    cancelled = 0
    for order in stale:
        references = Source.objects.filter(order=order, source_type__code=Order.STRIPE).values_list(
            "reference", flat=True
        )
        try:
            states = {gateway.close_session(reference=reference) for reference in references if reference}
        except GatewayError as error:
            logger.warning("Could not expire the payment sessions of order %s: %s", order.number, error)
            continue
        if "complete" in states:
            order_flag_payment(
                order=order, reason=_("The payment page says the order was paid, but no payment notice arrived.")
            )
            continue
        _order, changed = order_cancel_unpaid(
            order=order,
            reason=_("The online payment was not completed within %(hours)s hours; the stock was released.")
            % {"hours": hours},
        )
        cancelled += changed
    return cancelled


def may_fulfil(user, shipment):
    return user.has_perm(FULFIL_OWN_PARCELS) and (
        user.is_superuser or shipment.partner.users.filter(pk=user.pk).exists()
    )


def _sync_order_status(order):
    """The order follows its lines: partly shipped, shipped, then delivered."""
    line_statuses = set(
        order.lines.exclude(status__in=[statuses.CANCELLED, statuses.REFUNDED]).values_list("status", flat=True)
    )
    if not line_statuses:
        return
    if line_statuses == {statuses.DELIVERED}:
        target = statuses.DELIVERED
    elif line_statuses <= {statuses.SHIPPED, statuses.DELIVERED}:
        target = statuses.SHIPPED
    elif line_statuses & {statuses.SHIPPED, statuses.DELIVERED}:
        target = statuses.PARTLY_SHIPPED
    else:
        return
    if target != order.status and target in order.available_statuses():
        order.set_status(target)


def shipment_ship(*, shipment, user, carrier, tracking_number):
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not may_fulfil(user, shipment):
        raise PermissionDenied(_("You may only ship your own supplier's lines."))
    errors = {}
    if not carrier:
        errors["carrier"] = _("Enter the carrier, for example 顺丰速运.")
    if not tracking_number:
        errors["tracking_number"] = _("Enter the tracking number.")
    if errors:
        raise OrderError(errors)
    with transaction.atomic():
        order = _locked(shipment.order)
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if not statuses.may_ship(order):
            raise OrderError(
                _("Order %(number)s is “%(status)s”; it can be shipped once it is paid.")
                % {"number": order.number, "status": order.status_label}
            )
        if shipment.shipped_at:
            raise OrderError(_("This shipment has already been sent."))
        lines = list(
            Line.objects.filter(order=order, partner_id=shipment.partner_id, status=statuses.PENDING).select_related(
                "stockrecord"
            )
        )
        for line in sorted(lines, key=lambda line: line.stockrecord_id or 0):
            if line.stockrecord_id and line.num_allocated:
                stockrecord = StockRecord.objects.select_for_update().get(pk=line.stockrecord_id)
                stockrecord.consume_allocation(line.num_allocated)
                line.num_allocated = 0
            line.set_status(statuses.SHIPPED)
            line.save(update_fields=["num_allocated"])
        shipment.carrier, shipment.tracking_number = carrier, tracking_number
        shipment.shipped_at, shipment.updated_by = timezone.now(), user
        shipment.save()
        _sync_order_status(order)
    return shipment


def shipment_deliver(*, shipment, user):
    if not may_fulfil(user, shipment):
        raise PermissionDenied(_("You may only update your own supplier's lines."))
    with transaction.atomic():
        order = _locked(shipment.order)
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if not shipment.shipped_at:
            raise OrderError(_("Mark the shipment as shipped first."))
        if shipment.delivered_at:
            return shipment
        for line in Line.objects.filter(order=order, partner_id=shipment.partner_id, status=statuses.SHIPPED):
            line.set_status(statuses.DELIVERED)
        shipment.delivered_at, shipment.updated_by = timezone.now(), user
        shipment.save()
        _sync_order_status(order)
    return shipment


def notify_suppliers(*, order):
    """E-mail each supplier of the order about its own lines, once the order is paid or confirmed."""
    shipments = Shipment.objects.filter(order=order).select_related("partner").prefetch_related("partner__users")
    lines = list(order.lines.all())
    for shipment in shipments:
        partner = shipment.partner
        recipients = {u.email for u in partner.users.all() if u.email}
        if partner.contact_email:
            recipients.add(partner.contact_email)
        if not recipients:
            continue
        context = {
            "order": order,
            "partner": partner,
            "shipment": shipment,
            "lines": [line for line in lines if line.partner_id == partner.pk],
        }
        send_mail(
            subject=_("New order %(number)s to ship") % {"number": order.number},
            message=render_to_string("oscar/order/emails/supplier_new_order.txt", context),
            from_email=settings.OSCAR_FROM_EMAIL,
            recipient_list=sorted(recipients),
            fail_silently=True,
        )
