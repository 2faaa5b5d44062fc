"""The ledger follows the orders: each receiver runs inside the transaction that changed the order or refund."""

from django.db.models.signals import post_save
from django.utils import timezone
from oscar.apps.order.signals import order_line_status_changed, order_status_changed
from oscar.core.loading import get_model

from shop.order import statuses

Order = get_model("order", "Order")
Refund = get_model("payment", "Refund")


def credit_paid_order(sender, order, old_status, new_status, **kwargs):
    if new_status == statuses.PAID:
        from settlement.services import ledger_credit_order

        ledger_credit_order(order=order)


def credit_delivered_cash_on_delivery(sender, line, old_status, new_status, **kwargs):
    """Cash on delivery is received when the supplier's parcel is delivered."""
    if new_status != statuses.DELIVERED:
        return
    order = line.order
    if order.payment_method != Order.COD or order.paid_at is not None:
        return
    from settlement.services import ledger_credit_supplier

    # The lines turn delivered in the transaction that stamps the parcel delivered: that moment is now.
    ledger_credit_supplier(order=order, partner_id=line.partner_id, occurred_at=timezone.now())


def debit_confirmed_refund(sender, instance, **kwargs):
    if instance.status == Refund.SUCCEEDED:
        from settlement.services import ledger_debit_refund

        ledger_debit_refund(refund=instance)


def connect():
    order_status_changed.connect(credit_paid_order, dispatch_uid="settlement.credit_paid_order")
    order_line_status_changed.connect(
        credit_delivered_cash_on_delivery, dispatch_uid="settlement.credit_delivered_cash_on_delivery"
    )
    post_save.connect(debit_confirmed_refund, sender=Refund, dispatch_uid="settlement.debit_confirmed_refund")
