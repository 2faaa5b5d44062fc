"""Gateway webhooks: verified on the raw body, stored once by event id, processed in one transaction."""

import logging

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop.order.services import OrderError, order_cancel_unpaid, order_flag_payment, order_mark_paid
from shop.payment.gateway import InvalidSignature, from_minor_units, get_gateway
from shop.payment.services import refund_confirm, refund_fail

Order = get_model("order", "Order")
Refund = get_model("payment", "Refund")
WebhookEvent = get_model("payment", "WebhookEvent")

logger = logging.getLogger(__name__)


def _order_of(session):
    number = session.get("client_reference_id") or (session.get("metadata") or {}).get("order_number")
    return Order.objects.filter(number=number).first() if number else None


def session_paid(session):
    order = _order_of(session)
    if order is None:
        return "unknown order"
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "awaiting payment"
    amount = from_minor_units(session.get("amount_total") or 0)
    currency = (session.get("currency") or "").upper()
    if currency != order.currency or amount != order.total_incl_tax or order.payment_method != Order.STRIPE:
        order_flag_payment(
            order=order,
            reason=_(
                "Stripe reported a payment of %(amount)s %(currency)s for session %(session)s, but the order is "
                "%(total)s %(order_currency)s. It is not marked paid; check it before shipping or refunding."
            )
            % {
                "amount": amount,
                "currency": currency or "?",
                "session": session.get("id"),
                "total": order.total_incl_tax,
                "order_currency": order.currency,
            },
        )
        return "amount mismatch"
    try:
        _order, changed = order_mark_paid(
            order=order, amount=amount, reference=session.get("payment_intent") or session["id"]
        )
    except OrderError as error:
        order_flag_payment(order=order, reason=" ".join(error.messages))
        return "paid but not payable"
    return "paid" if changed else "already paid"


def session_failed(session):
    order = _order_of(session)
    if order is None:
        return "unknown order"
    _order, changed = order_cancel_unpaid(
        order=order, reason=_("The online payment was not completed (%(session)s).") % {"session": session.get("id")}
    )
    return "cancelled" if changed else "unchanged"


def refund_updated(refund_object):
    refund = Refund.objects.filter(gateway_reference=refund_object.get("id")).first()
    if refund is None:
        refund_id = (refund_object.get("metadata") or {}).get("refund_id")
        refund = Refund.objects.filter(pk=refund_id).first() if refund_id and str(refund_id).isdigit() else None
    if refund is None:
        return "unknown refund"
    if refund_object.get("status") == "succeeded":
        if from_minor_units(refund_object.get("amount") or 0) != refund.amount:
            return "refund amount differs"
        _refund, changed = refund_confirm(refund=refund)
        return "refunded" if changed else "already refunded"
    if refund_object.get("status") in ("failed", "canceled"):
        refund_fail(refund=refund)
        return "refund failed"
    return "refund pending"


HANDLERS = {
    "checkout.session.completed": session_paid,
    "checkout.session.async_payment_succeeded": session_paid,
    "checkout.session.async_payment_failed": session_failed,
    "checkout.session.expired": session_failed,
    "refund.created": refund_updated,
    "refund.updated": refund_updated,
    "charge.refund.updated": refund_updated,
}


def process_event(event):
    """Handle a verified event once; a repeated delivery of the same id changes nothing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(event_id=event.id, event_type=event.type, payload=event.data)
        except IntegrityError:
            return "duplicate"
        handler = HANDLERS.get(event.type)
        outcome = handler(event.data) if handler else "ignored"
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    return outcome


# The signature covers the exact bytes Stripe sent, so the body must be read before anything parses it.
@csrf_exempt
@require_POST
def stripe_webhook(request):
    gateway = get_gateway()
    if gateway is None:
        return HttpResponse(status=404)
    try:
        event = gateway.parse_webhook(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except InvalidSignature as error:
        logger.warning("Rejected a webhook: %s", error)
        return HttpResponseBadRequest("invalid signature")
    return JsonResponse({"received": True, "outcome": process_event(event)})
