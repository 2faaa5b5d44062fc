"""Reads about money going back to buyers."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from accounts.permissions import REFUND_ORDERS
from shop.order import statuses

Order = get_model("order", "Order")
Refund = get_model("payment", "Refund")

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _sum_of_refunds(status):
    total = (
        Refund.objects.filter(order=OuterRef("pk"), status=status)
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def cancelled_after_payment():
    """Orders the buyer cancelled after paying, each with what was refunded, what is asked of the payment service
    and not yet confirmed, and what is still owed to the buyer (the order's total less confirmed refunds)."""
    return (
        Order.objects.filter(status=statuses.CANCELLED, paid_at__isnull=False)
        .annotate(refunded=_sum_of_refunds(Refund.SUCCEEDED), refund_pending=_sum_of_refunds(Refund.REQUESTED))
        .annotate(owed=F("total_incl_tax") - F("refunded"))
    )


def refunds_owed(*, user):
    """Cancelled orders whose payment has not all gone back to the buyer yet, oldest payment first (operators)."""
    if not user.has_perm(REFUND_ORDERS):
        return Order.objects.none()
    return cancelled_after_payment().filter(owed__gt=0).order_by("paid_at", "pk")


def refunds_owed_total():
    """(how many cancelled orders still owe their buyer money, how much in all), in one query."""
    figures = cancelled_after_payment().filter(owed__gt=0).aggregate(count=Count("pk"), total=Sum("owed"))
    return figures["count"] or 0, figures["total"] or ZERO
