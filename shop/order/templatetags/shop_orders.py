from django import template

from shop.order import statuses
from shop.order.selectors import (
    order_support_summary,
    order_timeline,
    tracking_url,
    transfer_account,
)

register = template.Library()


@register.simple_tag
def order_story(order):
    """What a buyer is told about an order: whom it helped, each supplier's parcel, and how to pay by transfer."""
    shipments = list(order.shipments.select_related("partner"))
    for shipment in shipments:
        shipment.tracking_url = tracking_url(shipment.tracking_number)
    claims = {}
    for claim in order.claims.order_by("pk"):
        claims[claim.line_id] = claim
    lines = list(order.lines.select_related("product").order_by("pk"))
    for line in lines:
        line.claim = claims.get(line.pk)
        line.claimable = line.claim is None and line.status in (statuses.SHIPPED, statuses.DELIVERED)
    return {
        "lines": lines,
        "support": order_support_summary(order=order),
        "shipments": shipments,
        "timeline": order_timeline(order=order, shipments=shipments),
        "can_cancel": order.status in statuses.CANCELLABLE and not any(s.shipped_at for s in shipments),
        "can_receive": order.status in statuses.RECEIVABLE,
        "bank": transfer_account(),
    }


@register.simple_tag
def order_refunds(order):
    """The order's refunds, newest first, each with how the money went back (the bank reference of a transfer)."""
    return list(order.refunds.select_related("line", "order").order_by("-requested_at", "-pk"))


@register.filter
def order_status_label(code):
    return statuses.ORDER_LABELS.get(code, code)


@register.filter
def line_status_label(code):
    return statuses.LINE_LABELS.get(code, code)
