from django_tasks import task

from shop.order.services import orders_auto_receive, orders_expire_abandoned_online, orders_release_unpaid


@task()
def orders_release_unpaid_run():
    return orders_release_unpaid()


@task()
def orders_expire_abandoned_online_run():
    return orders_expire_abandoned_online()


@task()
def orders_auto_receive_run():
    return orders_auto_receive()
