"""Task runs left "running" by a worker that died: failed by the sweep, or at once when run_worker starts again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import roles
from operations.models import TaskWorker
from operations.services import task_results_fail_stale, task_results_fail_worker
from operations.tasks import email_deliver, email_requeue_stranded
from operations.tasks import task_results_fail_stale as sweep_task
from tests.factories import UserFactory
from tests.integration.operations import flaky_tasks

pytestmark = pytest.mark.django_db

STOPPED = "执行此任务的工作进程已中断（重启或崩溃）：任务运行 60 分钟后仍显示“运行中”，已标记为失败。"


def left_running(task, *args, worker_id="dead-worker", started_ago=timedelta(hours=2), **kwargs):
    row = DBTaskResult.objects.get(id=task.enqueue(*args, **kwargs).id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - started_ago)
    return row


@pytest.fixture(autouse=True)
def stale_after_an_hour(settings):
    settings.TASK_RUNNING_STALE_SECONDS = 3600
    settings.LANGUAGE_CODE = "zh-hans"


def status(row):
    return DBTaskResult.objects.get(id=row.id).status


def test_a_run_left_running_past_the_limit_is_failed_and_the_operator_reads_why_and_can_run_it_again(
    django_assert_max_num_queries,
):
    row = left_running(email_requeue_stranded)
    assert task_results_fail_stale() == 1
    assert status(row) == TaskResultStatus.FAILED

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(UserFactory(role=roles.OPERATOR, is_staff=True))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("workbench:failed-tasks")).content.decode()
    assert STOPPED in html and "请确认该任务的工作未完成后再重新运行。" in html
    assert "operations.services.WorkerLost" in html
    assert reverse("workbench:failed-task-retry", kwargs={"task_id": row.id}) in html


def test_a_run_started_within_the_limit_is_left_running():
    row = left_running(email_requeue_stranded, started_ago=timedelta(minutes=59))
    assert task_results_fail_stale() == 0
    assert status(row) == TaskResultStatus.RUNNING


def test_a_running_import_is_left_to_its_own_heartbeat_sweep():
    row = left_running(flaky_tasks.flaky_sync, "XF0001", region_code="430822")
    assert row.queue_name == "imports"
    assert task_results_fail_stale() == 0
    assert status(row) == TaskResultStatus.RUNNING


def test_an_e_mail_run_left_running_is_failed_saying_the_message_is_sent_again_on_its_own(run_tasks):
    row = left_running(email_deliver, delivery_id=1)
    assert row.queue_name == "mail"
    # The scheduler's task does the same as the service.
    sweep_task.enqueue()
    run_tasks()
    failed = DBTaskResult.objects.get(id=row.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "邮件本身会自动重新发送，无需重新运行此任务。" in failed.traceback


def test_a_run_that_finished_meanwhile_keeps_its_end():
    row = left_running(email_requeue_stranded)
    row.set_successful(0)
    assert task_results_fail_stale() == 0
    assert status(row) == TaskResultStatus.SUCCESSFUL


def test_a_restarted_worker_fails_the_runs_it_left_running_at_once_and_no_one_else_s():
    mine = left_running(email_requeue_stranded, worker_id="worker-a", started_ago=timedelta(seconds=5))
    other = left_running(email_requeue_stranded, worker_id="worker-b", started_ago=timedelta(seconds=5))
    # Claimed by worker-a first, then given up and claimed by worker-b: worker-b is running it.
    taken_over = left_running(email_requeue_stranded, worker_id="worker-a", started_ago=timedelta(seconds=5))
    taken_over.claim("worker-b")

    assert task_results_fail_worker(worker_id="worker-a") == 1
    assert status(mine) == TaskResultStatus.FAILED
    assert status(other) == status(taken_over) == TaskResultStatus.RUNNING
    assert "执行此任务的工作进程与数据库的连接中断后已重新启动" in DBTaskResult.objects.get(id=mine.id).traceback


LOST = "执行此任务的工作进程已中断（重启或崩溃）：2 分钟没有任何进展，已标记为失败。"


def worker_seen(worker_id, ago):
    TaskWorker.objects.create(
        worker_id=worker_id, hostname="worker-host", pid=4242, queues="default", seen_at=timezone.now() - ago
    )


def test_a_run_whose_worker_is_no_longer_seen_is_failed_within_minutes_and_a_living_worker_s_is_left(settings):
    settings.TASK_WORKER_LOST_SECONDS = 120
    worker_seen("killed", ago=timedelta(minutes=3))
    worker_seen("busy", ago=timedelta(seconds=10))
    killed = left_running(email_requeue_stranded, worker_id="killed", started_ago=timedelta(minutes=4))
    long_task = left_running(email_requeue_stranded, worker_id="busy", started_ago=timedelta(minutes=50))
    # A worker that never wrote a sign of life (a plain db_worker) is judged by the hour only.
    unknown = left_running(email_requeue_stranded, worker_id="plain-db-worker", started_ago=timedelta(minutes=4))

    assert task_results_fail_stale() == 1
    assert status(killed) == TaskResultStatus.FAILED
    assert LOST in DBTaskResult.objects.get(id=killed.id).traceback
    assert status(long_task) == status(unknown) == TaskResultStatus.RUNNING


def test_the_sign_of_life_of_a_worker_gone_for_longer_than_any_run_is_dropped(settings):
    worker_seen("gone", ago=timedelta(hours=2))
    worker_seen("busy", ago=timedelta(seconds=10))
    task_results_fail_stale()
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["busy"]
