from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from operations.mail import message_from_data
from operations.models import EmailDelivery, TaskRetry, TaskWorker
from operations.selectors import database_backend, failed_task_results

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


class WorkerLost(Exception):
    """Recorded as the error of a task run whose worker ended (killed, restarted, lost its database) while running it."""


# Queues whose running tasks the stale sweep leaves alone: imports have a heartbeat and their own sweep
# (reports.importing.import_sweep_stale), which starts them again or fails them with their own reason.
STALE_SWEEP_EXCLUDED_QUEUES = ("imports",)


def worker_lost_reason(*, queue_name, minutes=None, heartbeat=False):
    """The reason an operator reads on the failed-task page, in the site's language (the worker has no request's).

    Without `minutes`, the worker itself came back after losing its database; with them, a sweep found the run still
    "running" that long after it started (or, with `heartbeat`, that long after its last sign of life).
    """
    with translation.override(settings.LANGUAGE_CODE):
        if minutes is None:
            reason = _(
                "The worker running this task lost its database connection and started again, so the task's end "
                "was not recorded; it was marked failed."
            )
        elif heartbeat:
            reason = _(
                "The worker running this task stopped (a restart or a crash): no sign of it for %(minutes)s minutes; "
                "the task was marked failed."
            ) % {"minutes": minutes}
        else:
            reason = _(
                "The worker running this task stopped (a restart or a crash): the task was still marked running after "
                "%(minutes)s minutes and was marked failed."
            ) % {"minutes": minutes}
        if queue_name == "mail":
            advice = _("The e-mail itself is sent again automatically; there is no need to run this again.")
        elif queue_name == "imports":
            advice = _("The import itself is started again or failed automatically; see its job.")
        else:
            advice = _("Run it again once you have checked that its work was not done.")
        # Two sentences: a space between them in English, none in Chinese.
        return _("%(reason)s %(advice)s") % {"reason": reason, "advice": advice}


def task_results_fail_running(*, rows, minutes=None, heartbeat=False):
    """Mark failed the given runs (locked by the caller, known to be running) with the reason their worker was lost."""
    failed = 0
    for row in rows:
        # set_failed is django-tasks-db's own bookkeeping: status, finish time and the error with its class.
        row.set_failed(WorkerLost(worker_lost_reason(queue_name=row.queue_name, minutes=minutes, heartbeat=heartbeat)))
        failed += 1
    return failed


def runs_claimed_by(running, worker_ids):
    """The ids of the `running` runs whose last claim (the worker running them) is one of `worker_ids`."""
    # worker_ids is a JSON list, which SQLite cannot search: the running rows are few, they are read here.
    return [row.id for row in running.only("id", "worker_ids") if row.worker_ids and row.worker_ids[-1] in worker_ids]


def task_results_fail_stale(*, now=None):
    """Mark failed the task runs whose worker died: those claimed by a worker not seen for `TASK_WORKER_LOST_SECONDS`
    (task_worker_beat), and, for a worker that never said it was alive (a plain db_worker), those still "running"
    `TASK_RUNNING_STALE_SECONDS` after they started.

    Each run is locked and checked to be running still, so one that a slow worker finishes meanwhile keeps its end.
    Returns how many were failed.
    """
    backend = database_backend()
    if backend is None:
        return 0
    now = now or timezone.now()
    running = DBTaskResult.objects.running().filter(backend_name=backend.alias)
    running = running.exclude(queue_name__in=STALE_SWEEP_EXCLUDED_QUEUES)
    lost = set(
        TaskWorker.objects.filter(seen_at__lt=now - timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)).values_list(
            "worker_id", flat=True
        )
    )
    orphans = runs_claimed_by(running, lost)
    failed = 0
    if orphans:
        with transaction.atomic():
            rows = list(running.select_for_update(skip_locked=True).filter(id__in=orphans).order_by("started_at"))
            failed += task_results_fail_running(
                rows=rows, minutes=-(-settings.TASK_WORKER_LOST_SECONDS // 60), heartbeat=True
            )
    cutoff = now - timedelta(seconds=settings.TASK_RUNNING_STALE_SECONDS)
    with transaction.atomic():
        rows = list(running.select_for_update(skip_locked=True).filter(started_at__lt=cutoff).order_by("started_at"))
        failed += task_results_fail_running(rows=rows, minutes=-(-settings.TASK_RUNNING_STALE_SECONDS // 60))
    # A worker that was killed says so no more: its sign of life is dropped once no run of its can be left.
    TaskWorker.objects.filter(seen_at__lt=cutoff).delete()
    return failed


def task_worker_beat(*, worker_id, hostname, pid, queues):
    """A worker's sign of life, written when it starts and every TASK_WORKER_BEAT_SECONDS while it runs."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id, defaults={"hostname": hostname, "pid": pid, "queues": queues, "seen_at": timezone.now()}
    )


def task_worker_stopped(*, worker_id):
    """A worker stopped on purpose (after finishing its current task) leaves no sign of life behind."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def task_results_fail_worker(*, worker_id):
    """Mark failed the runs a worker left "running" when it stopped (run_worker calls this before starting it again
    with the same id): the worker that claims a run is the last of its `worker_ids`. Returns how many were failed."""
    backend = database_backend()
    if backend is None:
        return 0
    running = DBTaskResult.objects.running().filter(backend_name=backend.alias)
    ids = runs_claimed_by(running, {worker_id})
    with transaction.atomic():
        return task_results_fail_running(rows=list(running.select_for_update().filter(id__in=ids)))
