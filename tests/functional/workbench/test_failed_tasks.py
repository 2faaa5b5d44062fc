"""The operator's list of failed background tasks: what failed, when, why and how often, and running one again."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import roles
from operations.models import TaskRetry
from tests.factories import UserFactory
from tests.integration.operations import flaky_tasks

pytestmark = pytest.mark.django_db

LIST = reverse("workbench:failed-tasks")


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def failed_run(run_tasks, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    flaky_tasks.SERVICE.update(up=False, runs=[])
    result = flaky_tasks.flaky_sync.enqueue("XF0001", region_code="430822")
    run_tasks()
    return result


def test_the_operator_reads_each_failed_task_and_its_error_and_reaches_the_list_from_the_todo_page(
    failed_run, django_assert_max_num_queries
):
    client = signed_in(UserFactory(role=roles.OPERATOR, is_staff=True))
    todo = client.get(reverse("workbench:todo")).content.decode()
    assert f'href="{LIST}"' in todo
    with django_assert_max_num_queries(12):
        html = client.get(LIST).content.decode()
    assert "失败的后台任务" in html
    assert "对方系统暂时无法连接" in html and "builtins.ConnectionError" in html
    assert reverse("workbench:failed-task-retry", kwargs={"task_id": failed_run.id}) in html


def test_the_list_stays_a_few_queries_however_many_tasks_failed(run_tasks, django_assert_max_num_queries):
    flaky_tasks.SERVICE.update(up=False, runs=[])
    for number in range(30):
        flaky_tasks.flaky_sync.enqueue(f"XF{number:04d}", region_code="430822")
    run_tasks()
    client = signed_in(UserFactory(role=roles.OPERATOR, is_staff=True))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).content.decode().count('class="failed-task"') == 30


def test_running_it_again_queues_it_and_takes_it_off_the_list(failed_run):
    client = signed_in(UserFactory(role=roles.OPERATOR, is_staff=True))
    response = client.post(reverse("workbench:failed-task-retry", kwargs={"task_id": failed_run.id}), follow=True)
    html = response.content.decode()
    assert "任务已重新排队" in html
    assert "没有失败的后台任务" in html
    assert TaskRetry.objects.filter(failed_result_id=failed_run.id).count() == 1


@pytest.mark.parametrize("role", [roles.UNIT, roles.COUNTY, roles.SUPPLIER, roles.BUYER])
def test_other_roles_can_neither_read_the_list_nor_run_a_task_again(failed_run, role):
    client = signed_in(UserFactory(role=role))
    assert client.get(LIST).status_code == 403
    queued = DBTaskResult.objects.count()
    response = client.post(reverse("workbench:failed-task-retry", kwargs={"task_id": failed_run.id}))
    assert response.status_code == 403
    assert DBTaskResult.objects.count() == queued and not TaskRetry.objects.exists()
