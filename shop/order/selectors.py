from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from accounts.permissions import CONFIRM_TRANSFERS, VIEW_ALL_ORDERS
from regions.models import Region
from shop.order import statuses

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Recipient = get_model("order", "Recipient")
Shipment = get_model("order", "Shipment")

# The status changes a buyer's timeline shows; shipping and delivery come from the shipments, parcel by parcel.
TIMELINE_LABELS = {
    statuses.REVIEW: _("Payment being checked"),
    statuses.PAID: _("Order paid"),
    statuses.COD: _("Cash on delivery confirmed"),
    statuses.RECEIVED: _("Receipt confirmed"),
    statuses.CANCELLED: _("Order cancelled"),
    statuses.REFUNDED: _("Refunded"),
}


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


def _tab_filter(key):
    for tab_key, _label, codes in statuses.BUYER_TABS:
        if tab_key != key or key == statuses.ALL_TAB:
            continue
        condition = Q(status__in=codes)
        if key == statuses.AFTER_SALES_TAB:
            condition |= Q(claims__isnull=False)
        return condition
    return Q()


def buyer_order_list(*, user, tab=statuses.ALL_TAB):
    """A buyer's orders in one tab, newest first, each with what its list row shows, in one query."""
    first_line = Line.objects.filter(order=OuterRef("pk")).order_by("pk")
    orders = (
        Order.objects.filter(user=user)
        .filter(_tab_filter(tab))
        .annotate(
            item_count=Subquery(
                Line.objects.filter(order=OuterRef("pk")).values("order").annotate(n=Sum("quantity")).values("n")[:1]
            ),
            first_title=Subquery(first_line.values("title")[:1]),
            line_count=Subquery(
                Line.objects.filter(order=OuterRef("pk")).values("order").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .order_by("-date_placed", "-pk")
    )
    if tab == statuses.AFTER_SALES_TAB:
        orders = orders.distinct()
    return orders


def buyer_order_tab_counts(*, user):
    """How many of a buyer's orders each tab holds, in one query."""
    counts = Order.objects.filter(user=user).aggregate(
        **{key: Count("pk", filter=_tab_filter(key), distinct=True) for key, _label, _codes in statuses.BUYER_TABS}
    )
    return [{"key": key, "label": label, "count": counts[key]} for key, label, _codes in statuses.BUYER_TABS]


def buyer_received_product(*, user, product):
    """Whether the buyer has confirmed receipt (or had it confirmed automatically) of an order with this product."""
    return Line.objects.filter(product=product, order__user=user, order__status=statuses.RECEIVED).exists()


def tracking_url(number):
    return settings.ORDER_TRACKING_URL.format(number=quote(number)) if number else ""


def order_timeline(*, order, shipments=None):
    """What happened to an order, oldest first: placed, paid, each parcel shipped and delivered, received, cancelled.

    Built from the order's status-change rows and its shipments (two queries).
    """
    events = [{"at": order.date_placed, "kind": "placed", "label": _("Order placed")}]
    for change in order.status_changes.order_by("date_created", "pk"):
        label = TIMELINE_LABELS.get(change.new_status)
        if label:
            events.append({"at": change.date_created, "kind": change.new_status, "label": label})
    if shipments is None:
        shipments = order.shipments.select_related("partner")
    for shipment in shipments:
        if shipment.shipped_at:
            events.append(
                {
                    "at": shipment.shipped_at,
                    "kind": "shipped",
                    "label": _("%(supplier)s shipped its parcel") % {"supplier": shipment.partner.display_name},
                    "carrier": shipment.carrier,
                    "tracking_number": shipment.tracking_number,
                    "tracking_url": tracking_url(shipment.tracking_number),
                }
            )
        if shipment.delivered_at:
            events.append(
                {
                    "at": shipment.delivered_at,
                    "kind": "delivered",
                    "label": _("The parcel from %(supplier)s was delivered")
                    % {"supplier": shipment.partner.display_name},
                }
            )
    order_of_kind = {"placed": 0, "paid": 1, "cod": 1, "shipped": 2, "delivered": 3, "received": 4}
    return sorted(events, key=lambda event: (event["at"], order_of_kind.get(event["kind"], 5)))


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


def shipment_recipients(*, shipment):
    """The recipients of this supplier's lines when the order goes to many addresses (empty otherwise): only the
    supplier's own share, never another supplier's."""
    return (
        Recipient.objects.filter(delivery__order_id=shipment.order_id, line__partner_id=shipment.partner_id)
        .select_related("line")
        .order_by("row")
    )


def order_recipients(*, order):
    """Every recipient of an order delivered to many addresses (empty for one address), in the file's order."""
    return Recipient.objects.filter(delivery__order=order).select_related("line").order_by("row")


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
