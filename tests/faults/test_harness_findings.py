"""Findings of the fault harness run against a production-like stack (gunicorn, PostgreSQL, Redis, the task worker),
each kept as a test that failed before its fix."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

from cms import demo as cms_demo
from config.redis_client import breaker
from config.settings.base import cache_settings
from operations.models import TaskWorker
from operations.services import task_results_fail_stale
from reports.tasks import import_sweep_stale
from shop.address.forms import china
from suppliers.models import CatalogueBatch, CertificationStatus, Objection, ObjectionStatus
from tests.factories import (
    CategoryFactory,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    UserFactory,
    certified_product,
    region,
)
from tests.faults.conftest import worker_env
from tests.faults.slow_tasks import pause_between_queries
from tests.faults.test_dependencies import CLOSED_PORT_REDIS_URL, place_by_transfer, redis_cache
from tests.functional.shop.test_checkout import add
from tests.integration.config.test_database_connections import terminate

Order = get_model("order", "Order")

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


@pytest.fixture
def batch_on_notice():
    today = timezone.localdate()
    batch = CatalogueBatch.objects.create(
        county=region("430822000000", "桑植县"),
        year=today.year,
        number=3,
        notice_starts_on=today - timedelta(days=2),
        notice_ends_on=today + timedelta(days=5),
    )
    ProductCertificationFactory(
        partner=CertifiedPartnerFactory(name="桑植县白茶专业合作社"),
        product=ProductFactory(title="桑植白茶 明前"),
        status=CertificationStatus.NOTICE,
        batch=batch,
    )
    return batch


@override_settings(CACHES=redis_cache(CLOSED_PORT_REDIS_URL))
def test_with_redis_away_an_objection_is_taken_not_answered_with_a_server_error(client, batch_on_notice):
    # The hourly limit counts in the cache; with Redis away there is no count, and the objection must still be heard.
    response = client.post(
        reverse("suppliers:objection", kwargs={"pk": batch_on_notice.pk}),
        {"name": "王五", "contact": "13900000000", "reason": "茶叶是外地收购的"},
        follow=True,
    )
    assert response.status_code == 200
    assert "区县扶贫办将在批次发布前核查您的异议" in response.content.decode()
    assert Objection.objects.get().status == ObjectionStatus.OPEN


def worker_backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def wait_until_running(task_result, timeout=60):
    """Wait for a worker process of the test's own to start the task."""
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.get(pk=task_result.id).status != "RUNNING":
        assert time.monotonic() < deadline, "the worker never started the task"
        time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: the server closes the worker's connection"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_outlives_its_connection_closed_by_the_database_server(settings):
    # A database restart, failover or idle timeout closes the worker's connection; db_worker let the error out of
    # its loop and exited, and the queue stood still until someone started it again.
    params = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}",
    }
    manage = str(settings.BASE_DIR / "manage.py")
    command = [sys.executable, manage, "run_worker", "--queue-name", "*", "--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The database server closes the worker's connection while a task runs: the task fails, and so does writing
        # down that it failed, on the same connection.
        paused = pause_between_queries.enqueue(seconds=3)
        wait_until_running(paused)
        time.sleep(0.5)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [worker_backends()])
        second = import_sweep_stale.enqueue()
        deadline = time.monotonic() + 30
        while DBTaskResult.objects.get(pk=second.id).status != "SUCCESSFUL":
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker never ran the task queued after the connection was closed"
            time.sleep(0.1)
        # The run whose end could not be written is failed as soon as the worker is back, not left "running".
        paused_row = DBTaskResult.objects.get(pk=paused.id)
        assert paused_row.status == "FAILED"
        assert paused_row.exception_class_path == "operations.services.WorkerLost"
    finally:
        # Killed whatever happened above: a worker left running would hold the test database open.
        worker.kill()
        worker.wait(timeout=10)


@pytest.fixture
def hanging_redis():
    # A Redis that takes connections and never answers: the kernel completes the handshake on a listening socket
    # nobody accepts from, and every command then waits for its socket timeout.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    breaker.reset()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    breaker.reset()
    listener.close()


def test_with_redis_hanging_a_page_waits_for_it_once_not_at_every_cache_call(client, hanging_redis):
    # Each cache call waited REDIS_TIMEOUT (0.25 s): the catalogue's cards, menu and fragments made a page take tens
    # of seconds, and gunicorn killed the workers (500s) while Redis hung.
    cms_demo.load()
    tea = CategoryFactory("茶饮")
    for n in range(12):
        certified_product(title=f"桑植白茶{n}", price="88.00", categories=[tea])
    with override_settings(CACHES={"default": cache_settings(hanging_redis)}):
        started = time.monotonic()
        response = client.get(reverse("catalogue:index"))
        seconds = time.monotonic() - started
    assert response.status_code == 200
    assert "桑植白茶11" in response.content.decode()
    assert seconds < 2.5


class CloseConnection:
    """The database server closes the connection just before (or, with `after`, just after) the first query that
    contains `text`."""

    def __init__(self, text, after=False):
        self.text, self.after = text, after
        self.closed = False

    def __call__(self, execute, sql, params, many, context):
        if self.closed or self.text not in sql:
            return execute(sql, params, many, context)
        self.closed = True
        pid = context["connection"].connection.info.backend_pid
        if not self.after:
            terminate(pid)
            return execute(sql, params, many, context)
        result = execute(sql, params, many, context)
        terminate(pid)
        return result


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates PostgreSQL backends with pg_terminate_backend"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_whose_connection_the_server_closes_midway_is_served_on_a_new_one():
    # Django's health check replaces a connection closed between requests only; one closed during a request answered
    # the visitor with a server error.
    product = certified_product(title="桑植白茶")
    client = Client(raise_request_exception=False)
    closing = CloseConnection('"catalogue_product"')
    try:
        with connection.execute_wrapper(closing):
            response = client.get(product.get_absolute_url())
    finally:
        connection.close()  # the test client leaves a failed request's connection as it is
    assert closing.closed
    assert response.status_code == 200
    assert "桑植白茶" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates PostgreSQL backends with pg_terminate_backend"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sign_in_whose_connection_the_server_closes_midway_signs_the_buyer_in():
    # The password check takes a good part of a second in production: a connection closed meanwhile failed the sign-in.
    UserFactory(email="buyer@example.cn")
    client = Client(raise_request_exception=False)
    closing = CloseConnection('"django_session"')
    try:
        with connection.execute_wrapper(closing):
            response = client.post(
                reverse("customer:login"),
                {"login-username": "buyer@example.cn", "login-password": "pass-word-2020", "login_submit": "1"},
            )
    finally:
        connection.close()
    assert closing.closed
    assert response.status_code == 302
    assert client.get(reverse("customer:profile-view")).status_code == 200


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates PostgreSQL backends with pg_terminate_backend"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thank_you_page_whose_connection_the_server_closes_after_it_wrote_is_served_again(client):
    # Oscar's thank-you page marks its order seen before drawing it; a GET is served again whatever it wrote.
    china()  # the shipping country, which a transactional test's flush removes
    client.force_login(UserFactory(email="buyer@example.cn"))
    add(client, certified_product(title="桑植白茶"))
    assert place_by_transfer(client).url == reverse("checkout:thank-you")
    client.raise_request_exception = False
    closing = CloseConnection('UPDATE "order_order"', after=True)
    try:
        with connection.execute_wrapper(closing):
            response = client.get(reverse("checkout:thank-you"))
    finally:
        connection.close()
    assert closing.closed
    assert response.status_code == 200
    assert Order.objects.get().number in response.content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: the worker runs in its own process")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_whose_worker_was_killed_is_failed_within_minutes_not_left_running_for_the_hour(settings):
    # A worker killed (kill -9, an out-of-memory kill, a host lost) in the middle of a task left its run "running" until
    # the hour-long stale limit: now its sign of life stops, and the sweep fails the run once it is missed.
    settings.TASK_RUNNING_STALE_SECONDS = 3600
    settings.TASK_WORKER_LOST_SECONDS = 3
    manage = str(settings.BASE_DIR / "manage.py")
    command = [sys.executable, manage, "run_worker", "--queue-name", "default", "--no-startup-delay"]
    env = worker_env(settings, TASK_WORKER_BEAT_SECONDS="1")
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        long_task = pause_between_queries.enqueue(seconds=120)
        wait_until_running(long_task)
        # While the worker lives, however long its task takes, the run is its own.
        time.sleep(4)
        assert task_results_fail_stale() == 0
        assert TaskWorker.objects.get().pid == worker.pid
    finally:
        worker.kill()
        worker.wait(timeout=10)
    time.sleep(4)
    assert task_results_fail_stale() == 1
    run = DBTaskResult.objects.get(pk=long_task.id)
    assert run.status == "FAILED" and run.exception_class_path == "operations.services.WorkerLost"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: the worker runs in its own process")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_stopped_on_purpose_leaves_no_sign_of_life_behind(settings):
    manage = str(settings.BASE_DIR / "manage.py")
    command = [sys.executable, manage, "run_worker", "--queue-name", "default", "--no-startup-delay"]
    worker = subprocess.Popen(command, env=worker_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not TaskWorker.objects.filter(pid=worker.pid).exists():
            assert time.monotonic() < deadline, "the worker never said it was alive"
            time.sleep(0.1)
        worker.terminate()  # a deploy's SIGTERM
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    assert not TaskWorker.objects.exists()
