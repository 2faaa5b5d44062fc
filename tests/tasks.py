"""Running queued tasks inside a test, the way the database backend's worker runs them."""

from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_due_tasks(limit=500):
    """Run every task that is due now (and those they enqueue), in this thread; returns how many ran.

    The worker's own loop opens an exclusive transaction, which cannot nest inside a test's; its `run_task` is what
    runs each claimed task, with the same success and failure bookkeeping. A worker runs outside any transaction, so
    what a task leaves for "on commit" (the e-mail it queued) happens as soon as the task is done, here too.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
    )
    ran = 0
    while ran < limit and (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
        ran += 1
    return ran
