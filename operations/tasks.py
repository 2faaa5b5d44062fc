from django_tasks import task

from operations import services


@task()
def email_deliver(delivery_id):
    return services.email_delivery_attempt(delivery_id=delivery_id)


@task()
def email_requeue_stranded():
    return services.email_requeue_stranded()
