"""A request whose database connection the server closed while it ran (a restart, a failover, pg_terminate_backend) is
served once more on a new connection: the visitor gets the page, not a server error.

Django's health check (CONN_HEALTH_CHECKS) only replaces a connection closed between requests. One closed in the middle
of a request failed that request: a sign-in, whose password check takes a good part of a second, failed whenever the
server closed the connection meanwhile. A GET or HEAD is served again whatever it wrote (what a page writes, such as
Oscar's thank-you page marking its order seen, is written again to the same effect); any other request only when it had
written nothing, as its writes may have been committed (an order's own failures are handled where it is placed,
shop.checkout.services).
"""

import logging
from contextlib import ExitStack

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

WRITES = ("insert", "update", "delete")
SAFE_METHODS = ("GET", "HEAD")


class RequestQueries:
    """Execute wrapper for one request: whether a query wrote, and whether one failed for want of a connection."""

    def __init__(self):
        self.wrote = False
        self.connection_failed = False

    def __call__(self, execute, sql, params, many, context):
        try:
            result = execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            self.connection_failed = True
            raise
        if not self.wrote and sql.lstrip()[:6].lower() in WRITES:
            self.wrote = True
        return result


class ConnectionLostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = RequestQueries()
        with ExitStack() as watching:
            for connection in connections.all():
                watching.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        if response.status_code != 500 or not queries.connection_failed:
            return response
        if queries.wrote and request.method not in SAFE_METHODS:
            return response
        logger.warning(
            "The database connection was lost during %s %s; served again on a new one.",
            request.method,
            request.path,
        )
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        # A form served again reads its uploaded files from their start, not from where the first pass left them.
        for _name, uploads in request.FILES.lists():
            for upload in uploads:
                upload.seek(0)
        return self.get_response(request)
