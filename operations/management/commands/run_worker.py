import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks.utils import get_random_id

from operations.services import task_results_fail_worker, task_worker_beat, task_worker_stopped

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
        beat = SignOfLife(worker_id=worker_id, queues=queue_name)
        beat.start()
        try:
            self.work(worker_id, queue_name, interval, no_startup_delay, verbosity)
        finally:
            beat.stop()

    def work(self, worker_id, queue_name, interval, no_startup_delay, verbosity):
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


class SignOfLife(threading.Thread):
    """Writes the worker's sign of life every TASK_WORKER_BEAT_SECONDS, also while a long task runs, so that the sweep
    (operations.services.task_results_fail_stale) can tell a killed worker's runs from a slow one's within minutes.
    Its own thread, with its own database connection; a database that is away only skips a beat."""

    def __init__(self, *, worker_id, queues):
        super().__init__(name=f"sign-of-life-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.stopping = threading.Event()

    def run(self):
        while True:
            try:
                task_worker_beat(
                    worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid(), queues=self.queues
                )
            except DatabaseError as error:
                logger.warning("Worker %s could not write its sign of life (%s).", self.worker_id, error)
            finally:
                connections.close_all()  # this thread's connections only
            if self.stopping.wait(settings.TASK_WORKER_BEAT_SECONDS):
                return

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)
        try:
            task_worker_stopped(worker_id=self.worker_id)
        except DatabaseError as error:
            logger.warning("Worker %s could not remove its sign of life (%s).", self.worker_id, error)
