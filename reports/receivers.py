from shop.order.signals import unit_order_paid


def record_paid_unit_order(sender, order, **kwargs):
    from reports.services import records_from_order

    records_from_order(order=order)


def connect():
    unit_order_paid.connect(record_paid_unit_order, dispatch_uid="reports.record_paid_unit_order")
