"""One worker per queue: a hanging mail server holds up e-mails only, and every queue has its worker."""

import re
import shlex
import socket
import subprocess
import sys
import time

import pytest
import yaml
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django_tasks_db.models import DBTaskResult

from operations.models import EmailDelivery
from reports import importing
from reports.models import ImportJob, PurchaseRecord
from reports.tasks import import_run
from tests.faults.conftest import worker_env
from tests.integration.reports.test_import import good_row, xlsx

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


def worker_queues(command):
    """The queues a `run_worker` command line serves, or None when it is not one."""
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if "run_worker" not in words:
        return None
    return set(words[words.index("--queue-name") + 1].split(","))


def procfile_workers():
    lines = (django_settings.BASE_DIR / "Procfile").read_text().splitlines()
    processes = dict(line.split(":", 1) for line in lines if re.match(r"^\w[\w-]*:", line))
    return {name: queues for name, command in processes.items() if (queues := worker_queues(command))}


def compose_workers():
    compose = yaml.safe_load((django_settings.BASE_DIR / "docker" / "compose.yml").read_text())
    services = compose["services"].items()
    return {name: queues for name, service in services if (queues := worker_queues(service.get("command", [])))}


@pytest.mark.parametrize("workers", [procfile_workers, compose_workers], ids=["Procfile", "compose"])
def test_every_queue_has_a_worker_of_its_own(workers):
    served = list(workers().values())
    queues = set(django_settings.TASK_QUEUES)
    assert set(django_settings.TASKS["default"]["QUEUES"]) == queues
    assert set().union(*served) == queues  # no queue without a worker, no worker for a queue that does not exist
    assert all(len(worker) == 1 for worker in served)  # and no "*" or a list: no kind of work waits behind another
    assert len(served) == len(queues)


def test_e_mails_and_their_retries_go_to_the_mail_queue(settings, django_capture_on_commit_callbacks, run_tasks):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail.RefusingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("测试", "正文", None, ["office@example.cn"])
    assert list(DBTaskResult.objects.values_list("queue_name", flat=True)) == ["mail"]
    run_tasks()
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.RETRYING
    assert set(DBTaskResult.objects.values_list("queue_name", flat=True)) == {"mail"}


@pytest.fixture
def hanging_mail_server():
    # A mail server that takes connections and never greets: the kernel completes the handshake on a listening socket
    # nobody accepts from, and the client waits for EMAIL_TIMEOUT.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"smtp://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: workers in their own processes")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_mail_server_hanging_an_import_completes_on_its_own_worker(
    member, unit, settings, hanging_mail_server
):
    env = worker_env(settings, EMAIL_URL=hanging_mail_server, EMAIL_TIMEOUT="120")
    manage = str(settings.BASE_DIR / "manage.py")
    # The workers `make run` starts, each on its queues.
    workers = [
        subprocess.Popen(
            [sys.executable, manage, "run_worker", "--queue-name", ",".join(queues), "--no-startup-delay"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for queues in procfile_workers().values()
    ]
    try:
        for number in range(3):
            mail.send_mail("测试", "正文", None, [f"office{number}@example.cn"])
        deadline = time.monotonic() + 60
        while not EmailDelivery.objects.filter(status=EmailDelivery.Status.SENDING).exists():
            assert time.monotonic() < deadline, "the mail worker never took a message"
            time.sleep(0.1)

        job = importing.start_import(user=member, unit=unit, upload=xlsx([good_row(n) for n in range(20)]))
        import_run.enqueue(job_id=job.pk)
        deadline = time.monotonic() + 60
        while (status := ImportJob.objects.get(pk=job.pk).status) != ImportJob.Status.DONE:
            assert status != ImportJob.Status.FAILED, ImportJob.objects.get(pk=job.pk).errors
            assert time.monotonic() < deadline, "the import waited behind the e-mails"
            time.sleep(0.1)
        assert PurchaseRecord.objects.count() == 20
        # The mail worker is still waiting on the first message; the others wait their turn.
        assert EmailDelivery.objects.filter(status=EmailDelivery.Status.SENDING).count() == 1
        assert EmailDelivery.objects.filter(status=EmailDelivery.Status.QUEUED).count() == 2
    finally:
        # Killed whatever happened above: a worker left running would hold the test database open.
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.wait(timeout=10)
