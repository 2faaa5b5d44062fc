import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

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

    def handle(self, *args, queue_name, interval, no_startup_delay, verbosity, **options):
        while True:
            try:
                call_command(
                    "db_worker",
                    queue_name=queue_name,
                    interval=interval,
                    reload=False,
                    startup_delay=not no_startup_delay,
                    verbosity=verbosity,
                )
                return
            except (OperationalError, InterfaceError) as error:
                # db_worker lets a database error out of its loop, also one raised while it records how a task ended
                # (that task's row stays "running": the sweeps of stale imports and stranded e-mails take such rows
                # up again). A new connection is opened at the next query.
                logger.warning("The task worker lost its database connection (%s); it starts again.", error)
                connections.close_all()
                time.sleep(RESTART_DELAY)
