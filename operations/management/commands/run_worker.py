import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django_tasks.utils import get_random_id

from operations.services import task_results_fail_worker

logger = logging.getLogger(__name__)

# Seconds to wait before the worker starts again after losing its database connection.
RESTART_DELAY = 2


class Command(BaseCommand):
    help = (
        "Run the task worker (django-tasks-db's db_worker, without autoreload) and start it again when the database "
        "closed its connection (a restart, a failover, an idle timeout) instead of exiting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="Comma-separated queues, or * for all (default).")
        parser.add_argument("--interval", type=float, default=1, help="Seconds between looks at an empty queue.")
        parser.add_argument("--no-startup-delay", action="store_true", help="Start taking tasks at once.")
        parser.add_argument("--worker-id", help="Unique across the workers (default: a random one).")

    def handle(self, *args, queue_name, interval, no_startup_delay, worker_id, verbosity, **options):
        # One id for this process across restarts of db_worker: the runs left "running" under it are known to be dead.
        worker_id = worker_id or get_random_id()
        while True:
            try:
                call_command(
                    "db_worker",
                    queue_name=queue_name,
                    interval=interval,
                    reload=False,
                    startup_delay=not no_startup_delay,
                    worker_id=worker_id,
                    verbosity=verbosity,
                )
                return
            except (OperationalError, InterfaceError) as error:
                # db_worker lets a database error out of its loop, also one raised while it records how a task ended:
                # that run would stay "running". A new connection is opened at the next query.
                logger.warning("The task worker lost its database connection (%s); it starts again.", error)
                connections.close_all()
                time.sleep(RESTART_DELAY)
                self.fail_left_running(worker_id)

    def fail_left_running(self, worker_id):
        """The runs this worker left "running" are marked failed at once, not after TASK_RUNNING_STALE_SECONDS."""
        try:
            failed = task_results_fail_worker(worker_id=worker_id)
        except (OperationalError, InterfaceError) as error:
            # The database is still away: tried again after the next restart (or by the stale sweep).
            logger.warning("The runs left by worker %s could not be marked failed (%s).", worker_id, error)
            connections.close_all()
        else:
            if failed:
                logger.warning("Marked failed %d task run(s) left running by worker %s.", failed, worker_id)
