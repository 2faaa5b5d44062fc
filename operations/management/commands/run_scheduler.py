import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue(task_path):
    """Only enqueue: the work itself runs in a worker, so a slow job never delays the next one's turn."""
    result = import_string(task_path).enqueue()
    logger.info("Enqueued %s as %s", task_path, result.id)
    return result


def scheduled(task_path):
    # The scheduler is a long-lived process: a connection the database closed meanwhile is replaced, as per request.
    close_old_connections()
    try:
        enqueue(task_path)
    finally:
        close_old_connections()


def triggers():
    return [
        (task_path, CronTrigger(**fields, timezone=settings.TIME_ZONE))
        for task_path, fields in settings.SCHEDULED_TASKS
    ]


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (SCHEDULED_TASKS) at their times. Run exactly one scheduler per site: each "
        "running copy enqueues every job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print each job and its next run time, then exit.")

    def handle(self, *args, list=False, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for task_path, trigger in triggers():
            # A scheduler that was down runs a missed job once when it is back, not once per missed turn.
            scheduler.add_job(
                scheduled,
                trigger,
                args=[task_path],
                id=task_path,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=settings.SCHEDULER_MISFIRE_GRACE_SECONDS,
            )
        if list:
            for task_path, trigger in triggers():
                self.stdout.write(f"{task_path}  {trigger}")
            return
        self.stdout.write(f"Scheduler started with {len(settings.SCHEDULED_TASKS)} jobs.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
