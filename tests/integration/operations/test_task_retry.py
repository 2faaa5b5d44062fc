import threading

import pytest
from django.db import connection, connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from operations.models import TaskRetry
from operations.selectors import failed_tasks, failed_work, task_label
from operations.services import TaskNotRetryable, task_retry
from tests.factories import UserFactory
from tests.integration.operations import flaky_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_run(run_tasks):
    flaky_tasks.SERVICE.update(up=False, runs=[])
    result = flaky_tasks.flaky_sync.enqueue("XF0001", region_code="430822")
    run_tasks()
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.FAILED
    return result


def test_a_failed_task_is_listed_with_its_error_and_one_attempt(failed_run):
    [listed] = failed_tasks()
    assert listed.id == str(failed_run.id)
    assert listed.error_class == "builtins.ConnectionError"
    assert listed.error == "对方系统暂时无法连接"
    assert listed.attempts == 1
    assert failed_work().tasks == 1


def test_running_it_again_uses_the_same_arguments_queue_and_priority_and_takes_it_off_the_list(failed_run, run_tasks):
    operator = UserFactory(role="operator", is_staff=True)
    new_id = task_retry(task_id=failed_run.id, user=operator)
    new = DBTaskResult.objects.get(id=new_id)
    assert new.status == TaskResultStatus.READY
    assert (new.queue_name, new.priority) == ("imports", 5)
    assert new.args_kwargs == {"args": ["XF0001"], "kwargs": {"region_code": "430822"}}
    assert failed_tasks() == [] and failed_work().tasks == 0
    assert DBTaskResult.objects.get(id=failed_run.id).status == TaskResultStatus.FAILED  # history kept

    run_tasks()  # still down: fails again, now its second attempt
    [listed] = failed_tasks()
    assert listed.id == str(new_id) and listed.attempts == 2

    flaky_tasks.SERVICE["up"] = True
    task_retry(task_id=new_id, user=operator)
    run_tasks()
    assert failed_tasks() == []
    assert flaky_tasks.SERVICE["runs"] == [("XF0001", "430822")] * 3
    assert TaskRetry.objects.get(failed_result_id=new_id).attempt == 3


def test_a_run_already_retried_or_not_failed_is_refused_and_nothing_is_queued(failed_run):
    operator = UserFactory(role="operator", is_staff=True)
    task_retry(task_id=failed_run.id, user=operator)
    queued = DBTaskResult.objects.count()
    with pytest.raises(TaskNotRetryable, match="已有人重新运行"):
        task_retry(task_id=failed_run.id, user=operator)
    with pytest.raises(TaskNotRetryable, match="已不存在"):
        task_retry(task_id="00000000-0000-4000-8000-000000000000", user=operator)
    assert DBTaskResult.objects.count() == queued
    assert TaskRetry.objects.count() == 1


def test_known_tasks_have_chinese_names_and_unknown_ones_show_their_path(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(task_label("reports.tasks.import_run")) == "导入采购登记表格"
    assert task_label("tests.unknown") == "tests.unknown"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_operators_running_the_same_failed_task_again_at_once_start_it_once(run_tasks):
    flaky_tasks.SERVICE.update(up=False, runs=[])
    failed = flaky_tasks.flaky_sync.enqueue("XF0002", region_code="430822")
    run_tasks()
    operators = [UserFactory(role="operator", is_staff=True) for _ in range(2)]
    barrier = threading.Barrier(2)
    started, refused, errors = [], [], []

    def retry(operator):
        try:
            barrier.wait()
            started.append(task_retry(task_id=failed.id, user=operator))
        except TaskNotRetryable as error:
            refused.append(error)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # Threads here stand for two operators pressing 重新运行 in two requests at once: each has its own database connection, so the
    # row locks are really contended (the application itself runs no threads).
    threads = [threading.Thread(target=retry, args=(operator,)) for operator in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(started) == 1 and len(refused) == 1
    assert DBTaskResult.objects.filter(task_path=failed.task.module_path).count() == 2  # the failed run and one new
