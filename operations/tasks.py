from django.core.management import call_command
from django_tasks import task

from operations import services

# Its own queue and worker: a hanging mail server holds up only other e-mails (README "Background work").
MAIL_QUEUE = "mail"


@task(queue_name=MAIL_QUEUE)
def email_deliver(delivery_id):
    return services.email_delivery_attempt(delivery_id=delivery_id)


@task()
def email_requeue_stranded():
    return services.email_requeue_stranded()


@task()
def task_results_prune():
    """Finished task rows are history: kept two weeks, failed ones two months for the operator to read."""
    call_command("prune_db_task_results", queue_name="*", min_age_days=14, failed_min_age_days=60, verbosity=0)


@task()
def task_results_fail_stale():
    return services.task_results_fail_stale()
