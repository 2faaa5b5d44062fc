from datetime import date

import pytest
from django.core import mail

from reports import services
from reports.periods import period_of
from reports.reminders import report_reminders_send
from tests.factories import PurchaseRecordFactory

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))


def test_bodies_that_have_not_submitted_are_reminded_before_the_deadline(
    village, village_clerk, unit, member, django_capture_on_commit_callbacks, run_tasks
):
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    done = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=done, user=village_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        sent = report_reminders_send(today=date(2020, 3, 17))
    run_tasks()
    reminded = {address for message in mail.outbox for address in message.to}
    assert member.email in reminded and village_clerk.email not in reminded
    assert sent == len(mail.outbox)
    assert all("2020-03-18" in message.subject for message in mail.outbox)


def test_no_reminder_is_sent_once_the_deadline_has_passed(unit, member, run_tasks):
    assert report_reminders_send(today=date(2020, 3, 19)) == 0
