from django_tasks import task


@task()
def unit_orders_overdue_notify_run():
    from shop.invoicing.services import unit_orders_overdue_notify

    return unit_orders_overdue_notify()
