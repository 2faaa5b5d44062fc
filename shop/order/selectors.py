from django.conf import settings
from oscar.core.loading import get_model

from accounts.permissions import CONFIRM_TRANSFERS, VIEW_ALL_ORDERS
from regions.models import Region
from shop.order import statuses

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")


def order_support_summary(*, order):
    """Which suppliers, counties and villages an order helps: two queries whatever the number of lines."""
    lines = list(order.lines.select_related("partner__region", "product__origin"))
    suppliers, villages = {}, {}
    for line in lines:
        if line.partner_id and line.partner_id not in suppliers:
            suppliers[line.partner_id] = line.partner
        place = (line.product.origin if line.product_id and line.product.origin_id else None) or (
            line.partner.region if line.partner_id else None
        )
        if place is not None:
            villages.setdefault(place.code, place)
    county_codes = {code[:6].ljust(12, "0") for code in villages}
    counties = list(Region.objects.filter(code__in=county_codes).order_by("code"))
    return {
        "suppliers": list(suppliers.values()),
        "counties": counties,
        "villages": [v for _code, v in sorted(villages.items()) if v.level == "village"],
    }


def orders_of_buyer(*, user):
    return Order.objects.filter(user=user)


def shipments_of_staff(*, user):
    """The shipments a user may fulfil: those of the suppliers the user works for (every one for an administrator)."""
    shipments = Shipment.objects.select_related("order", "partner")
    if user.is_superuser:
        return shipments
    return shipments.filter(partner__users=user)


def fulfilment_queue(*, user):
    return shipments_of_staff(user=user).filter(statuses.fulfillable_orders()).order_by("-order__date_placed")


def shipment_lines(*, shipment):
    return Line.objects.filter(order_id=shipment.order_id, partner_id=shipment.partner_id).select_related("product")


def awaiting_transfer(*, user):
    if not user.has_perm(CONFIRM_TRANSFERS):
        return Order.objects.none()
    return Order.objects.filter(payment_method=Order.TRANSFER, status__in=[statuses.PENDING, statuses.REVIEW]).order_by(
        "date_placed"
    )


def payment_review_queue(*, user):
    if not user.has_perm(VIEW_ALL_ORDERS):
        return Order.objects.none()
    return Order.objects.filter(status=statuses.REVIEW).order_by("date_placed")


def transfer_account():
    """Where a bank transfer goes, and how long the order waits for it."""
    return {
        "bank": settings.CHECKOUT_BANK_NAME,
        "account_name": settings.CHECKOUT_BANK_ACCOUNT_NAME,
        "account": settings.CHECKOUT_BANK_ACCOUNT,
        "days": settings.CHECKOUT_TRANSFER_DAYS,
    }
