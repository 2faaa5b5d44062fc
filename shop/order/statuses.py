"""Order and line status codes, and the labels buyers, suppliers and staff read.

The codes are stored; the pipelines that say which move is legal are OSCAR_ORDER_STATUS_PIPELINE and
OSCAR_LINE_STATUS_PIPELINE in the settings.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PENDING = "pending"
REVIEW = "review"
COD = "cod"
PAID = "paid"
PARTLY_SHIPPED = "partly_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
RECEIVED = "received"
REFUNDED = "refunded"
CANCELLED = "cancelled"

ORDER_LABELS = {
    PENDING: _("Awaiting payment"),
    REVIEW: _("Payment under review"),
    COD: _("Cash on delivery"),
    PAID: _("Paid"),
    PARTLY_SHIPPED: _("Partly shipped"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    RECEIVED: _("Receipt confirmed"),
    REFUNDED: _("Refunded"),
    CANCELLED: _("Cancelled"),
}

LINE_LABELS = {
    PENDING: _("To be shipped"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    REFUNDED: _("Refunded"),
    CANCELLED: _("Cancelled"),
}

# Orders whose lines a supplier may ship: paid, or confirmed for cash on delivery.
FULFILLABLE = (PAID, COD, PARTLY_SHIPPED, SHIPPED)

# Orders a buyer may still cancel: nothing has left a supplier yet (a partly shipped order has).
CANCELLABLE = (PENDING, REVIEW, PAID, COD)
# Orders whose receipt a buyer may confirm: every parcel is on its way or has arrived.
RECEIVABLE = (SHIPPED, DELIVERED)

# What a buyer reads for each code, in the words of the shops they know (待发货 rather than "paid").
BUYER_LABELS = {
    PENDING: _("Awaiting payment"),
    REVIEW: _("Payment being checked"),
    COD: _("To be shipped"),
    PAID: _("To be shipped"),
    PARTLY_SHIPPED: _("Partly shipped"),
    SHIPPED: _("To be received"),
    DELIVERED: _("Delivered, awaiting your confirmation"),
    RECEIVED: _("Completed"),
    REFUNDED: _("Refunded"),
    CANCELLED: _("Cancelled"),
}

ALL_TAB = "all"
AFTER_SALES_TAB = "after_sales"
# The tabs of the buyer's order list: (key, label, statuses); the after-sales tab also holds orders with a claim.
BUYER_TABS = [
    (ALL_TAB, _("All orders"), ()),
    ("unpaid", _("To pay"), (PENDING, REVIEW)),
    ("to_ship", _("To ship"), (PAID, COD)),
    ("to_receive", _("To receive"), (PARTLY_SHIPPED, SHIPPED, DELIVERED)),
    ("completed", _("Completed orders"), (RECEIVED,)),
    (AFTER_SALES_TAB, _("Refunds and after-sales"), (REFUNDED,)),
]


def may_ship(order):
    """A unit buys on account (832): its order is shipped before it is paid, which follows acceptance."""
    return order.status in FULFILLABLE or (order.unit_id is not None and order.status == PENDING)


def fulfillable_orders(prefix="order__"):
    """The same rule as a filter, for shipments (prefix "order__") or orders ("")."""
    return Q(**{f"{prefix}status__in": FULFILLABLE}) | Q(**{f"{prefix}unit__isnull": False, f"{prefix}status": PENDING})
