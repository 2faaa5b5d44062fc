"""/readyz tells an orchestrator whether to send traffic: 503 only when the database is away, 200 "degraded" with the
failing part named when the cache, search or the task queue is away or behind."""

from unittest import mock

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

REDIS_AWAY = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }
}


def test_everything_up_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["cache"] == {"status": "ok"}
    assert body["checks"]["search"] == {"status": "skipped", "backend": "database"}


def test_a_cache_that_is_away_leaves_the_site_ready_but_degraded(client):
    with override_settings(CACHES=REDIS_AWAY):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == {"status": "degraded"}


def test_a_search_engine_that_is_away_leaves_the_site_ready_but_degraded(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search"]["status"] == "degraded"
    assert response.json()["checks"]["search"]["backend"] == "database"


def test_a_task_backlog_older_than_allowed_is_reported_with_its_count_and_age(client, settings):
    settings.READYZ_TASK_MAX_AGE = 600
    with mock.patch("config.health.task_backlog", return_value={"count": 12, "oldest_age_seconds": 4000}):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == {"status": "degraded", "count": 12, "oldest_age_seconds": 4000}


def test_without_task_tables_the_backlog_is_skipped(client):
    with mock.patch("config.health.task_backlog", return_value=None):
        response = client.get("/readyz")
    assert response.json()["checks"]["tasks"] == {"status": "skipped"}


def test_a_database_that_is_away_makes_the_site_not_ready(client):
    with mock.patch(
        "config.health.check_database", return_value={"status": "unavailable", "error": "OperationalError"}
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@override_settings(ALLOWED_HOSTS=["shop.example.cn"], SECURE_SSL_REDIRECT=True)
def test_probes_by_address_over_plain_http_are_answered(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
