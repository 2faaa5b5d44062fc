from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from operations.mail import message_from_data
from operations.models import EmailDelivery, TaskRetry
from operations.selectors import failed_task_results

# How long a claimed delivery may be in the hands of one worker before another may try it (the SMTP timeout and
# then some): a worker killed while sending must not keep the message from ever leaving.
SENDING_LEASE = timedelta(minutes=10)
# A delivery due this long ago whose task never ran (lost enqueue, worker gone) is enqueued again by the sweep.
STRANDED_AFTER = timedelta(minutes=5)


def retry_delay(attempts):
    return timedelta(seconds=min(settings.EMAIL_RETRY_SECONDS * 2 ** (attempts - 1), 3600))


def email_delivery_attempt(*, delivery_id):
    """Send one queued message, once; on failure schedule the next attempt or, after the last one, mark it failed.

    Returns the delivery's status afterwards, or None when it was not due (sent already, or another worker has it).
    """
    from operations.tasks import email_deliver

    now = timezone.now()
    claimed = (
        EmailDelivery.objects.filter(
            pk=delivery_id,
            status__in=[EmailDelivery.Status.QUEUED, EmailDelivery.Status.RETRYING, EmailDelivery.Status.SENDING],
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=EmailDelivery.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE)
    )
    if not claimed:
        return None
    delivery = EmailDelivery.objects.get(pk=delivery_id)
    try:
        message_from_data(delivery.message, get_connection(settings.EMAIL_DELIVERY_BACKEND)).send()
    except Exception as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = EmailDelivery.Status.FAILED, None
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return delivery.status
        delivery.status = EmailDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        email_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
        return delivery.status
    delivery.status, delivery.sent_at, delivery.next_attempt_at = EmailDelivery.Status.SENT, timezone.now(), None
    delivery.save(update_fields=["status", "sent_at", "next_attempt_at"])
    return delivery.status


def email_requeue_stranded(*, now=None):
    """Enqueue again the deliveries that were due a while ago and are still waiting; returns how many."""
    from operations.tasks import email_deliver

    now = now or timezone.now()
    stranded = list(
        EmailDelivery.objects.filter(
            status__in=[EmailDelivery.Status.QUEUED, EmailDelivery.Status.RETRYING, EmailDelivery.Status.SENDING],
            next_attempt_at__lte=now - STRANDED_AFTER,
        ).values_list("pk", flat=True)
    )
    for pk in stranded:
        email_deliver.enqueue(delivery_id=pk)
    return len(stranded)


def email_delivery_retry(*, delivery):
    """An operator's "try again now" for a message that failed or waits for its next attempt."""
    from operations.tasks import email_deliver

    EmailDelivery.objects.filter(pk=delivery.pk).exclude(status=EmailDelivery.Status.SENT).update(
        status=EmailDelivery.Status.RETRYING, next_attempt_at=timezone.now()
    )
    email_deliver.enqueue(delivery_id=delivery.pk)


class TaskNotRetryable(ValidationError):
    """A task run that is not (or no longer) a failed run waiting for someone: it is not run again."""


def task_retry(*, task_id, user):
    """Run a failed background task again with the same arguments, queue and priority; returns the new run's id.

    The failed run stays as it was (its error is history) and leaves the list of failed work. Two operators pressing
    the button at once start it once: the failed run is locked and a retry is recorded once per failed run.
    """
    with transaction.atomic():
        failed = DBTaskResult.objects.select_for_update().filter(id=task_id).first()
        if failed is None:
            raise TaskNotRetryable(_("This task no longer exists: finished runs are removed after a while."))
        # Asked once the row is locked: a retry that another operator committed meanwhile is seen now.
        if not failed_task_results().filter(id=task_id).exists():
            raise TaskNotRetryable(_("This task did not fail, or someone has already run it again."))
        previous = TaskRetry.objects.filter(retry_result_id=failed.id).values_list("attempt", flat=True).first()
        try:
            task = failed.task.using(run_after=timezone.now())
        except (ImportError, SuspiciousOperation) as error:
            raise TaskNotRetryable(_("This task no longer exists in the code and cannot be run again.")) from error
        result = task.enqueue(*failed.args_kwargs["args"], **failed.args_kwargs["kwargs"])
        retry = TaskRetry(
            failed_result_id=failed.id, retry_result_id=result.id, attempt=(previous or 1) + 1, retried_by=user
        )
        retry.full_clean()
        retry.save()
    return result.id
