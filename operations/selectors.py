from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Case, Count, F, Min, Q, When
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from operations.models import EmailDelivery

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
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    tasks = None
    if isinstance(backend, DatabaseBackend):
        tasks = DBTaskResult.objects.filter(backend_name=backend.alias, status=TaskResultStatus.FAILED).count()
    return FailedWork(tasks=tasks, emails=EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED).count())
