from oscar.apps.order.signals import order_line_status_changed

from shop.order import statuses


def open_delivered_unit_order(sender, line, old_status, new_status, **kwargs):
    if new_status == statuses.DELIVERED and line.order.unit_id:
        from shop.invoicing.services import unit_order_open

        unit_order_open(order=line.order)


def connect():
    order_line_status_changed.connect(open_delivered_unit_order, dispatch_uid="invoicing.open_delivered_unit_order")
