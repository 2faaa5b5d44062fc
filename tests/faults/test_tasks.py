"""Background work under faults: the mail server away, an import's worker killed, the same file uploaded twice."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from operations.models import EmailDelivery
from reports import importing, services
from reports.errors import DuplicateImport
from reports.models import ImportJob, PurchaseRecord, ReportingOffice, ReportStatus
from reports.periods import period_of
from reports.tasks import import_run
from tests.factories import CertifiedPartnerFactory, PurchaseRecordFactory, UserFactory, certified_product
from tests.faults.conftest import worker_env
from tests.functional.shop.test_checkout import add, checkout
from tests.integration.reports.test_import import good_row, xlsx

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

REFUSING = "tests.mail.RefusingEmailBackend"


@pytest.fixture
def mail_server_away(settings):
    settings.EMAIL_DELIVERY_BACKEND = REFUSING
    return settings


def come_due():
    """Let the clock run to the next attempt of every waiting message."""
    now = timezone.now()
    EmailDelivery.objects.exclude(status=EmailDelivery.Status.SENT).update(next_attempt_at=now)
    DBTaskResult.objects.filter(status="READY").update(run_after=now)


def test_an_order_is_placed_while_the_mail_server_is_away_and_its_mails_leave_when_it_is_back(
    client, mail_server_away, django_capture_on_commit_callbacks, run_tasks
):
    buyer = UserFactory(email="buyer@example.cn")
    client.force_login(buyer)
    partner = CertifiedPartnerFactory(allows_cash_on_delivery=True)
    partner.users.add(UserFactory(email="ops@supplier.cn"))
    add(client, certified_product(partner=partner))
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, "cod")
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    assert client.get(response.url).status_code == 200

    run_tasks()
    deliveries = EmailDelivery.objects.all()
    assert {d.recipients for d in deliveries} == {"buyer@example.cn", "ops@supplier.cn"}
    assert all(d.status == EmailDelivery.Status.RETRYING for d in deliveries)
    assert all("SMTPException" in d.last_error and d.next_attempt_at > timezone.now() for d in deliveries)
    assert mail.outbox == []

    mail_server_away.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    come_due()
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer@example.cn", "ops@supplier.cn"]
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {EmailDelivery.Status.SENT}


def test_a_message_the_server_keeps_refusing_is_marked_failed_with_its_error_for_the_operator(
    client, mail_server_away, django_capture_on_commit_callbacks, run_tasks
):
    mail_server_away.EMAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("测试", "正文", None, ["office@example.cn"])
    for _attempt in range(3):
        run_tasks()
        come_due()
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.FAILED and delivery.attempts == 3
    assert "451 4.3.0" in delivery.last_error

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:operations_emaildelivery_changelist")).content.decode()
    assert "office@example.cn" in page and "451 4.3.0" in page


def test_a_report_is_submitted_while_the_mail_server_is_away_and_the_office_mail_waits_to_be_retried(
    village, village_clerk, unit, mail_server_away, django_capture_on_commit_callbacks, run_tasks
):
    ReportingOffice.objects.create(region=village.parent, name="乡扶贫站", email="fupin@township.gov.cn")
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    report = services.report_for(user=village_clerk, period=period_of(date(2020, 3, 5)), region=village)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=village_clerk)
    run_tasks()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    delivery = EmailDelivery.objects.get(recipients="fupin@township.gov.cn")
    assert delivery.status == EmailDelivery.Status.RETRYING and delivery.attempts == 1


def test_a_buyer_registers_while_the_mail_server_is_away(
    client, mail_server_away, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("customer:register"),
            {"email": "new@example.cn", "password1": "ZJJ-mei-cha-2020", "password2": "ZJJ-mei-cha-2020"},
        )
    assert response.status_code == 200 and 'id="check-mailbox"' in response.content.decode()
    assert get_user_model().objects.filter(email="new@example.cn").exists()
    run_tasks()
    assert EmailDelivery.objects.get(recipients="new@example.cn").status == EmailDelivery.Status.RETRYING


def stale(job, minutes=30):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=minutes), attempts=1
    )


def test_an_import_whose_worker_died_is_started_again_by_the_sweep_and_imported_once(member, unit, run_tasks):
    job = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(n) for n in range(5)]))
    stale(job)
    assert importing.import_sweep_stale() == (1, 0)
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert PurchaseRecord.objects.count() == 5


def test_the_task_run_of_an_import_whose_worker_died_is_failed_too_and_another_import_s_is_left_running(
    member, unit, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    dead, alive = (importing.start_import(user=member, unit=unit, upload=xlsx([good_row(n)])) for n in range(2))
    runs = {}
    for job, minutes in ((dead, 10), (alive, 1)):
        runs[job.pk] = DBTaskResult.objects.get(id=import_run.enqueue(job_id=job.pk).id)
        runs[job.pk].claim("dead-worker")
        stale(job, minutes=minutes)
    assert importing.import_sweep_stale() == (1, 0)
    failed = DBTaskResult.objects.get(id=runs[dead.pk].id)
    assert failed.status == "FAILED" and failed.exception_class_path == "operations.services.WorkerLost"
    assert "5 分钟没有任何进展" in failed.traceback and "导入本身会自动重新开始或标记失败" in failed.traceback
    assert DBTaskResult.objects.get(id=runs[alive.pk].id).status == "RUNNING"


def test_an_import_whose_worker_died_on_its_last_attempt_is_failed_with_a_chinese_reason(member, unit, settings):
    settings.REPORT_IMPORT_MAX_ATTEMPTS = 1
    job = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(1)]))
    stale(job)
    assert importing.import_sweep_stale() == (0, 1)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "导入中断" in job.errors[0]
    assert not PurchaseRecord.objects.exists()


def test_a_running_import_with_a_fresh_heartbeat_is_left_alone(member, unit):
    job = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(1)]))
    stale(job, minutes=1)
    assert importing.import_sweep_stale() == (0, 0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_the_same_file_uploaded_again_while_its_first_import_waits_is_refused_with_the_first_job(member, unit):
    first = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(1)]))
    with pytest.raises(DuplicateImport) as refused:
        importing.start_import(user=member, unit=unit, upload=xlsx([good_row(1)]))
    assert str(first.pk) in refused.value.messages[0] and "不会重复导入" in refused.value.messages[0]
    assert ImportJob.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: two connections at once")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_file_uploaded_twice_at_once_yields_one_job(member, unit):
    barrier = threading.Barrier(2)
    outcomes = []
    # The very same bytes twice: a workbook written again carries a new creation time, and so is another file.
    data = xlsx([good_row(1)]).read()

    def upload():
        try:
            barrier.wait()
            upload = SimpleUploadedFile("采购登记.xlsx", data)
            outcomes.append(importing.start_import(user=member, unit=unit, upload=upload))
        except DuplicateImport as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ImportJob.objects.count() == 1
    jobs = [o for o in outcomes if isinstance(o, ImportJob)]
    refusals = [o for o in outcomes if isinstance(o, DuplicateImport)]
    assert len(jobs) == 1 and len(refusals) == 1
    assert str(jobs[0].pk) in refusals[0].messages[0]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: the worker runs in its own process")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_during_an_import_leaves_a_job_the_sweep_takes_up_again(member, unit, settings):
    rows = 6000
    job = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(n) for n in range(rows)]))
    import_run.enqueue(job_id=job.pk)
    env = worker_env(settings)
    manage = str(settings.BASE_DIR / "manage.py")
    command = [sys.executable, manage, "db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay"]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while (status := ImportJob.objects.get(pk=job.pk).status) != ImportJob.Status.RUNNING:
            assert status != ImportJob.Status.FAILED, ImportJob.objects.get(pk=job.pk).errors
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.05)
    finally:
        # Killed whatever happened above: a worker left running would hold the test database open.
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and not PurchaseRecord.objects.exists()

    settings.REPORT_IMPORT_STALE_SECONDS = 1
    time.sleep(1.5)
    assert importing.import_sweep_stale() == (1, 0)
    subprocess.run([*command, "--batch"], env=env, check=True, timeout=300, capture_output=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert PurchaseRecord.objects.count() == rows
