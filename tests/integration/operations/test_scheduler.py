import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from operations.management.commands.run_scheduler import enqueue

pytestmark = pytest.mark.django_db

PERIODIC = {
    "suppliers.tasks.certifications_daily_run",
    "shop.order.tasks.orders_release_unpaid_run",
    "shop.order.tasks.orders_expire_abandoned_online_run",
    "reports.tasks.report_reminders_send",
    "reports.tasks.import_sweep_stale",
    "operations.tasks.email_requeue_stranded",
    "operations.tasks.task_results_prune",
    "operations.tasks.task_results_fail_stale",
    "settlement.tasks.statements_generate_run",
    "shop.invoicing.tasks.unit_orders_overdue_notify_run",
    "shop.order.tasks.orders_auto_receive_run",
    "procurement.tasks.bulletins_generate",
}


def test_the_scheduler_lists_every_periodic_job(capsys):
    call_command("run_scheduler", "--list")
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert listed == PERIODIC


def test_each_periodic_job_is_enqueued_by_the_scheduler_and_runs_in_the_worker(run_tasks):
    for task_path in sorted(PERIODIC):
        enqueue(task_path)
    assert DBTaskResult.objects.filter(status="READY").count() == len(PERIODIC)
    assert run_tasks() == len(PERIODIC)
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("task_path", "traceback")
    assert list(failed) == []
