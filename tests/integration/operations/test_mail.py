from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from operations.models import EmailDelivery
from operations.services import email_requeue_stranded
from operations.tasks import email_deliver

pytestmark = pytest.mark.django_db


def test_a_message_is_sent_by_the_worker_with_its_html_part_and_attachment(
    django_capture_on_commit_callbacks, run_tasks
):
    message = EmailMultiAlternatives(
        "订单已发货", "纯文本", "shop@example.cn", ["buyer@example.cn"], cc=["cc@example.cn"]
    )
    message.attach_alternative("<p>已发货</p>", "text/html")
    message.attach(
        "发货单.xlsx", b"PK\x03\x04binary", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    assert mail.outbox == []

    run_tasks()
    [sent] = mail.outbox
    assert (sent.subject, sent.to, sent.cc, sent.from_email) == (
        "订单已发货",
        ["buyer@example.cn"],
        ["cc@example.cn"],
        "shop@example.cn",
    )
    assert sent.alternatives[0][0] == "<p>已发货</p>"
    assert sent.attachments[0][:2] == ("发货单.xlsx", b"PK\x03\x04binary")
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.SENT and delivery.attempts == 1 and delivery.sent_at


def test_a_rolled_back_change_sends_no_mail(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail("报表已提交", "正文", None, ["office@example.cn"])
        raise RuntimeError("the submission failed")
    run_tasks()
    assert mail.outbox == [] and not EmailDelivery.objects.exists()


def test_a_message_already_sent_is_not_sent_again_when_its_task_runs_twice(
    django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail("报表已提交", "正文", None, ["office@example.cn"])
    run_tasks()
    email_deliver.enqueue(delivery_id=EmailDelivery.objects.get().pk)
    run_tasks()
    assert len(mail.outbox) == 1


def test_a_message_whose_task_was_lost_is_enqueued_again_by_the_sweep_and_sent(run_tasks):
    # Sent inside a transaction that never ran its on-commit hooks: the row exists, no task does.
    mail.send_mail("报表已提交", "正文", None, ["office@example.cn"])
    assert run_tasks() == 0
    EmailDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))
    assert email_requeue_stranded() == 1
    run_tasks()
    assert [m.to for m in mail.outbox] == [["office@example.cn"]]
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT
