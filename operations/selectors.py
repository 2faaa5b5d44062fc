from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from operations.models import EmailDelivery, TaskRetry

# The database backend stores "no run_after" as this date.
NO_RUN_AFTER = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Backlog:
    ready: int | None
    """Tasks due now that no worker has taken yet (None when the queue is not the database backend's)."""
    running: int | None
    oldest_wait: timedelta | None
    """How long the longest-waiting due task has waited (None when nothing waits)."""


def task_backlog(*, now=None):
    """Tasks waiting for a worker and the age of the oldest one, for /readyz and the operator's pages.

    One query. Tasks scheduled for later (e-mail retries) are not counted until they are due.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return Backlog(ready=None, running=None, oldest_wait=None)
    now = now or timezone.now()
    ready = Q(status=TaskResultStatus.READY) & (Q(run_after=NO_RUN_AFTER) | Q(run_after__lte=now))
    figures = DBTaskResult.objects.filter(backend_name=backend.alias).aggregate(
        ready=Count("pk", filter=ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        due_since=Min(Case(When(run_after=NO_RUN_AFTER, then=F("enqueued_at")), default=F("run_after")), filter=ready),
    )
    due_since = figures["due_since"]
    return Backlog(
        ready=figures["ready"],
        running=figures["running"],
        oldest_wait=max(now - due_since, timedelta(0)) if due_since else None,
    )


@dataclass(frozen=True)
class FailedWork:
    tasks: int | None
    """Background tasks that ended in an error (None when the queue is not the database backend's)."""
    emails: int


def failed_work():
    """Background work that gave up, for the operator's to-do page: two queries."""
    tasks = None
    if database_backend() is not None:
        tasks = failed_task_results().count()
    return FailedWork(tasks=tasks, emails=EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED).count())


# What an operator reads for each task: by dotted path, so this lowest layer names the tasks of every domain without
# importing them. A task missing here is shown by its path.
TASK_LABELS = {
    "operations.tasks.email_deliver": _("Send an e-mail"),
    "operations.tasks.email_requeue_stranded": _("Queue stranded e-mails again"),
    "operations.tasks.task_results_prune": _("Prune finished task records"),
    "operations.tasks.task_results_fail_stale": _("Fail tasks left running by a stopped worker"),
    "search.tasks.search_send": _("Update the search index"),
    "shop.order.tasks.orders_release_unpaid_run": _("Release unpaid transfer orders"),
    "shop.order.tasks.orders_expire_abandoned_online_run": _("Expire abandoned online payments"),
    "reports.tasks.import_run": _("Import a purchase spreadsheet"),
    "reports.tasks.import_sweep_stale": _("Restart stalled imports"),
    "reports.tasks.report_reminders_send": _("Send report reminders"),
    "reports.tasks.report_email_send": _("E-mail a half-month report"),
    "suppliers.tasks.certifications_daily_run": _("Daily certification expiry and batch publication"),
    "wagtail.tasks.update_reference_index_task": _("Update the site pages' reference index"),
    "wagtail.tasks.delete_file_from_storage_task": _("Delete a replaced file"),
    "wagtail.images.tasks.set_image_focal_point_task": _("Find a picture's focal point"),
}


def task_label(task_path):
    return TASK_LABELS.get(task_path, task_path)


@dataclass(frozen=True)
class FailedTask:
    id: str
    label: str
    task_path: str
    enqueued_at: datetime
    failed_at: datetime | None
    error_class: str
    error: str
    """The exception's own message (the last line of the traceback)."""
    traceback: str
    attempts: int


def database_backend():
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return backend if isinstance(backend, DatabaseBackend) else None


def failed_task_results():
    """Task runs that failed and that no one has run again yet (the database backend's; none for another)."""
    backend = database_backend()
    if backend is None:
        return DBTaskResult.objects.none()
    return (
        DBTaskResult.objects.failed()
        .filter(backend_name=backend.alias)
        .exclude(id__in=TaskRetry.objects.values("failed_result_id"))
    )


def error_message(traceback):
    """The exception's message: the traceback's last line without the exception's class."""
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1].strip()
    head, separator, message = last.partition(": ")
    return message if separator and " " not in head else last


def failed_tasks(*, limit=50):
    """The most recent failed task runs not yet run again, newest first, each with how many times it was tried.

    One query: the attempt number comes from the retry that started the run, if there was one.
    """
    retry_attempt = TaskRetry.objects.filter(retry_result_id=OuterRef("id")).values("attempt")[:1]
    rows = (
        failed_task_results()
        .annotate(attempt=Subquery(retry_attempt))
        .order_by("-finished_at", "-enqueued_at")
        .values("id", "task_path", "enqueued_at", "finished_at", "exception_class_path", "traceback", "attempt")[:limit]
    )
    return [
        FailedTask(
            id=str(row["id"]),
            label=task_label(row["task_path"]),
            task_path=row["task_path"],
            enqueued_at=row["enqueued_at"],
            failed_at=row["finished_at"],
            error_class=row["exception_class_path"],
            error=error_message(row["traceback"]),
            traceback=row["traceback"],
            attempts=row["attempt"] or 1,
        )
        for row in rows
    ]
