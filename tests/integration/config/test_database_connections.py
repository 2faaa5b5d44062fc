"""Kept database connections that the server closed are replaced before a request uses them (Django's own health
check), so a restart, a failover or a terminated backend costs no request an error."""

from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="terminates PostgreSQL backends with pg_terminate_backend; runs in CI, whose suite runs on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_site_keeps_its_connections_and_checks_them_before_use():
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def kept_connections():
    """The site's settings for the test thread's connection: kept between requests and health-checked."""
    connection.close()
    with mock.patch.dict(connection.settings_dict, {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}):
        yield
        connection.close()


def serve(path):
    """One request through Django's WSGI handler, with the connection handling a server process has."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    response.close()
    return int(statuses[0].split()[0])


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def test_a_connection_the_server_closed_right_after_a_request_is_replaced_and_the_next_request_succeeds(
    kept_connections,
):
    assert serve("/shop/catalogue/") == 200
    first = backend_pid()
    assert serve("/shop/catalogue/") == 200
    assert backend_pid() == first  # kept between requests
    terminate(first)
    assert serve("/shop/catalogue/") == 200
    assert backend_pid() != first
