from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.selectors import task_backlog
from operations.tasks import email_requeue_stranded

pytestmark = pytest.mark.django_db


def test_the_backlog_counts_tasks_waiting_for_a_worker_and_the_age_of_the_oldest():
    assert task_backlog() == task_backlog().__class__(ready=0, running=0, oldest_wait=None)
    email_requeue_stranded.enqueue()
    email_requeue_stranded.enqueue()
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at").first().pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=7)
    )
    email_requeue_stranded.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()

    backlog = task_backlog()
    assert backlog.ready == 2 and backlog.running == 0
    assert timedelta(minutes=7) <= backlog.oldest_wait < timedelta(minutes=8)


def test_a_task_scheduled_for_later_counts_from_when_it_fell_due():
    email_requeue_stranded.using(run_after=timezone.now() - timedelta(minutes=2)).enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=3))
    assert timedelta(minutes=2) <= task_backlog().oldest_wait < timedelta(minutes=3)
