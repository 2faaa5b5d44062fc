"""The PostgreSQL backend skips the health check's round trip for a connection that answered moments ago, and still
replaces a connection the server closed while it sat idle."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="tests the PostgreSQL backend against a live server; runs in CI, whose suite runs on PostgreSQL",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def own_connection():
    # A connection of its own, outside the test's transaction, kept and health-checked as the site's are.
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    yield wrapper
    wrapper.close()


def pings(monkeypatch, wrapper):
    calls = []
    original = wrapper.is_usable

    def is_usable():
        calls.append(1)
        return original()

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return calls


def query(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request(wrapper):
    wrapper.close_if_unusable_or_obsolete()  # what Django does when a request starts


def test_a_connection_used_moments_ago_is_not_pinged(own_connection, monkeypatch):
    first = query(own_connection)
    calls = pings(monkeypatch, own_connection)
    next_request(own_connection)
    assert query(own_connection) == first
    assert calls == []


def test_a_connection_idle_for_longer_is_checked_and_replaced_when_the_server_closed_it(own_connection, monkeypatch):
    first = query(own_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    own_connection.last_used = time.monotonic() - 5  # idle for five seconds
    calls = pings(monkeypatch, own_connection)
    next_request(own_connection)
    second = query(own_connection)  # no error: the dead connection was found and replaced
    assert calls == [1]
    assert second != first
