"""Demo settlement: paid orders of the demo supplier over the last weeks, one refunded line, the statements of the
half months that have ended since, the oldest one paid, and an order the buyer cancelled after paying by transfer,
whose refund the operator has still to record under 收款与退款.

Idempotent: nothing is added when the demo supplier already has statements.
"""

from datetime import timedelta

from django.utils import timezone
from oscar.core.loading import get_model

from accounts.models import User
from settlement.models import Statement
from settlement.services import ledger_credit_supplier, statement_mark_paid, statements_generate
from shop.demo import place_order
from shop.order.services import order_cancel_by_buyer, transfer_mark_received
from suppliers.selectors import sellable_product_filter

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Refund = get_model("payment", "Refund")

# (days ago, [(product index, quantity)]): orders spread over the last three half months.
ORDERS = [(41, [(0, 3)]), (33, [(0, 2), (1, 1)]), (24, [(1, 4)]), (18, [(0, 1), (1, 2)]), (9, [(0, 5)])]


def load():
    supplier_user = User.objects.filter(email="supplier@demo.cn").first()
    buyer = User.objects.filter(email="buyer@demo.cn").first()
    desk = User.objects.filter(email="operator@demo.cn").first()
    partner = supplier_user.partners.first() if supplier_user else None
    if partner is None or buyer is None or desk is None or Statement.objects.filter(partner=partner).exists():
        return []
    products = list(
        Product.objects.filter(
            sellable_product_filter(), stockrecords__partner=partner, stockrecords__num_in_stock__gt=20
        ).order_by("pk")[:2]
    )
    if len(products) < 2:
        return []
    now = timezone.now()
    orders = []
    for days_ago, items in ORDERS:
        when = now - timedelta(days=days_ago)
        order = place_order(buyer, [(products[index], quantity) for index, quantity in items])
        # Orders of past weeks: their credit is dated when they were paid, before the payment is recorded.
        ledger_credit_supplier(order=order, partner_id=partner.pk, occurred_at=when)
        transfer_mark_received(order=order, user=desk)
        Order.objects.filter(pk=order.pk).update(date_placed=when - timedelta(hours=3), paid_at=when)
        orders.append((order, when))
    order, when = orders[1]
    line = order.lines.order_by("pk").last()
    line.status = "refunded"
    line.save(update_fields=["status"])
    Refund.objects.create(
        order=order,
        line=line,
        amount=line.line_price_incl_tax,
        reason="到货时包装破损，买家申请退款",
        status=Refund.SUCCEEDED,
        requested_by=desk,
        confirmed_at=when + timedelta(days=2),
    )
    statements = [s for s in statements_generate() if s.partner_id == partner.pk]
    # Paid by transfer today, then cancelled by the buyer before shipping: the supplier keeps the credit, and the
    # payment is owed back to the buyer until the operator records the bank refund.
    cancelled = place_order(buyer, [(products[0], 1)])
    transfer_mark_received(order=cancelled, user=desk)
    order_cancel_by_buyer(order=cancelled, user=buyer, reason="买重了")
    oldest = min(statements, key=lambda statement: statement.period_start, default=None)
    if oldest is not None and oldest.payable_amount > 0:
        statement_mark_paid(
            statement=oldest,
            user=desk,
            bank_reference="ABC" + oldest.period_end.strftime("%Y%m%d") + "0031",
            paid_on=oldest.period_end + timedelta(days=3),
        )
    return statements
