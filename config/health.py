"""Liveness (/healthz) and readiness (/readyz) for orchestrators and load balancers.

/healthz answers 200 while the process can serve Python at all; it calls no dependency, so a database or Redis outage
never gets healthy web processes restarted. /readyz checks every dependency and answers 503 only when the site cannot
serve (the database is away); a cache, a search engine or a task queue that is away or behind makes the site slower or
narrower, so it answers 200 with the overall status "degraded" and the failing parts named.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse

OK, DEGRADED, UNAVAILABLE, SKIPPED = "ok", "degraded", "unavailable", "skipped"
HEALTH_PATHS = {"/healthz", "/readyz"}


def healthz(request):
    return JsonResponse({"status": OK})


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": UNAVAILABLE, "error": type(error).__name__}
    return {"status": OK}


def check_cache():
    # The cache takes its errors as misses (django-redis IGNORE_EXCEPTIONS): a value that does not come back is the
    # only sign that it is away.
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    answered = cache.get(key) == value
    cache.delete(key)
    return {"status": OK if answered else DEGRADED}


def check_search():
    if not settings.ELASTICSEARCH_URL:
        return {"status": SKIPPED, "backend": "database"}
    from search.backends import get_backend

    client = getattr(get_backend(), "client", None)
    if client is None:
        return {"status": SKIPPED, "backend": "database"}
    try:
        answered = client.options(request_timeout=settings.ELASTICSEARCH_TIMEOUT).ping()
    except Exception as error:  # noqa: BLE001 - any failure means search answers from the database instead
        return {"status": DEGRADED, "backend": "database", "error": type(error).__name__}
    return {"status": OK, "backend": "elasticsearch"} if answered else {"status": DEGRADED, "backend": "database"}


def task_backlog():
    """{"count", "oldest_age_seconds"} of the tasks due or running, or None when the queue keeps no table to read."""
    from operations.selectors import task_backlog as queue_backlog

    backlog = queue_backlog()
    if backlog.ready is None:
        return None
    return {
        "count": backlog.ready + backlog.running,
        "oldest_age_seconds": int(backlog.oldest_wait.total_seconds()) if backlog.oldest_wait else 0,
    }


def check_tasks():
    try:
        backlog = task_backlog()
    except DatabaseError as error:
        return {"status": DEGRADED, "error": type(error).__name__}
    if backlog is None:
        return {"status": SKIPPED}
    late = backlog["oldest_age_seconds"] > settings.READYZ_TASK_MAX_AGE
    return {"status": DEGRADED if late else OK, **backlog}


def readyz(request):
    started = time.monotonic()
    checks = {"database": check_database()}
    database_up = checks["database"]["status"] == OK
    checks["cache"] = check_cache()
    checks["search"] = check_search()
    checks["tasks"] = check_tasks() if database_up else {"status": UNAVAILABLE}
    if not database_up:
        status = UNAVAILABLE
    elif any(check["status"] not in (OK, SKIPPED) for check in checks.values()):
        status = DEGRADED
    else:
        status = OK
    body = {"status": status, "checks": checks, "seconds": round(time.monotonic() - started, 3)}
    response = JsonResponse(body, status=503 if status == UNAVAILABLE else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before host validation and the HTTPS redirect: probes call the container by its
    address over plain HTTP."""

    views = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
