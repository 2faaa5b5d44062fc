"""Django's PostgreSQL backend, with the health check skipped for a connection that answered moments ago.

With persistent connections (`CONN_MAX_AGE`) and `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` at the first query of
every request, a round trip that cost about a tenth of the basket page's throughput. A connection used less than
`ALIVE_BYPASS_SECONDS` ago is taken as alive, as connection pools do (HikariCP skips its check for 500 ms); one idle
longer is checked as Django checks it, and replaced if the server has closed it. A connection that breaks during a
request is still found out at the end of that request by Django's own `errors_occurred` check.
"""

import time

from django.db.backends.postgresql import base

ALIVE_BYPASS_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = None

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.last_used is not None
            and time.monotonic() - self.last_used < ALIVE_BYPASS_SECONDS
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self.last_used = time.monotonic()
        return cursor

    def close(self):
        self.last_used = None
        super().close()
