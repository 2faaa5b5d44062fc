"""Reminders (催报) to the bodies whose half-month report is not in: the daily one before the deadline, and the one an
office sends by hand to the bodies overdue in its status list. Each body reminded gets a ReminderLog row."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regions.models import Region
from reports.errors import NotAllowed
from reports.models import HalfMonthReport, ReminderLog, ReportStatus, Unit
from reports.periods import period_of
from reports.selectors import REGION_ROLE_OF_LEVEL, office_region, user_roles
from reports.status import CHILD_LEVEL, reminder_window_start, status_list


def period_due(today):
    """The period whose report is due within the deadline window that contains today, or None."""
    previous = period_of(today).previous()
    return previous if today <= previous.deadline else None


def recipients_of(*, regions=(), units=()):
    """The addresses of each body's people: a unit's active members, a region's active clerks of its level.

    Keyed ("unit", pk) or ("region", pk); two queries whatever the number of bodies.
    """
    found = {}
    if units:
        User = get_user_model()
        members = User.objects.filter(units__in=units, is_active=True).exclude(email="").values_list("units", "email")
        for unit_id, email in members:
            found.setdefault(("unit", unit_id), set()).add(email)
    if regions:
        User = get_user_model()
        clerk_levels = Q(pk__in=[])
        for level, role in REGION_ROLE_OF_LEVEL.items():
            clerk_levels |= Q(region__level=level, groups__name=role)
        clerks = (
            User.objects.filter(clerk_levels, region__in=regions, is_active=True)
            .exclude(email="")
            .values_list("region", "email")
        )
        for region_id, email in clerks:
            found.setdefault(("region", region_id), set()).add(email)
    return {key: sorted(emails) for key, emails in found.items()}


def _message(*, body, period, emails, late):
    deadline = f"{period.deadline:%Y-%m-%d}"
    if late:
        subject = _("Overdue: the half-month report for %(period)s was due on %(deadline)s") % {
            "period": period,
            "deadline": deadline,
        }
        text = _(
            "The half-month report of %(body)s for %(period)s was due on %(deadline)s and has not been submitted. "
            "Please submit it in the back office (消费扶贫采购 → 半月报) as soon as possible."
        )
    else:
        subject = _("Reminder: the half-month report for %(period)s is due on %(deadline)s") % {
            "period": period,
            "deadline": deadline,
        }
        text = _(
            "The half-month report of %(body)s for %(period)s has not been submitted yet. Please submit it "
            "in the back office (消费扶贫采购 → 半月报) by %(deadline)s."
        )
    return EmailMessage(
        subject, text % {"body": body, "period": period, "deadline": deadline}, settings.DEFAULT_FROM_EMAIL, emails
    )


def _remind(*, bodies, period, sent_by, late):
    """E-mail each (kind, body) that has someone to write to and log it; returns (reminded, without_address)."""
    keys = [(kind, body.pk) for kind, body in bodies]
    addresses = recipients_of(
        regions=[body for kind, body in bodies if kind == "region"],
        units=[body for kind, body in bodies if kind == "unit"],
    )
    reminded, without_address, messages, logs = [], [], [], []
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for (kind, body), key in zip(bodies, keys, strict=True):
            emails = addresses.get(key)
            if not emails:
                without_address.append(body)
                continue
            messages.append(_message(body=body, period=period, emails=emails, late=late))
            logs.append(
                ReminderLog(
                    period_start=period.start,
                    region=body if kind == "region" else None,
                    unit=body if kind == "unit" else None,
                    sent_by=sent_by,
                    sent_at=now,
                    recipients=len(emails),
                )
            )
            reminded.append((body, len(emails)))
    if messages:
        # The queued backend only writes delivery rows here; the worker sends them once this transaction commits.
        get_connection().send_messages(messages)
        ReminderLog.objects.bulk_create(logs)
    return reminded, without_address


@transaction.atomic
def report_reminders_send(*, today=None):
    """E-mail the people of each body whose report for the period now due is not submitted; returns how many
    messages (one per body). Run once a day, from the end of the period to its deadline."""
    today = today or timezone.localdate()
    period = period_due(today)
    if period is None:
        return 0
    submitted = HalfMonthReport.objects.filter(period_start=period.start, amends__isnull=True).exclude(
        status=ReportStatus.DRAFT
    )
    done_units = submitted.exclude(unit=None).values("unit_id")
    done_regions = submitted.exclude(region=None).values("region_id")
    clerk_levels = Q(pk__in=[])
    for level, role in REGION_ROLE_OF_LEVEL.items():
        clerk_levels |= Q(level=level, officials__groups__name=role, officials__is_active=True)
    regions = Region.objects.filter(clerk_levels).exclude(pk__in=done_regions).distinct().order_by("code")
    units = Unit.objects.exclude(pk__in=done_units).order_by("name")
    bodies = [("region", region) for region in regions] + [("unit", unit) for unit in units]
    reminded, _without = _remind(bodies=bodies, period=period, sent_by=None, late=False)
    return len(reminded)


@dataclass
class ReminderOutcome:
    reminded: list = field(default_factory=list)  # (body, number of recipients)
    recently_reminded: list = field(default_factory=list)
    without_address: list = field(default_factory=list)


def may_remind(user, office):
    """Only the office the bodies report to sends them a reminder."""
    region = office_region(user)
    return (
        region is not None
        and region.pk == office.pk
        and office.level in CHILD_LEVEL
        and REGION_ROLE_OF_LEVEL.get(office.level) in user_roles(user)
    )


@transaction.atomic
def overdue_reminders_send(*, office, period, user):
    """Remind the bodies overdue in an office's status list, except those reminded within the last hour."""
    if not may_remind(user, office):
        raise NotAllowed(_("Only the office that these bodies report to may remind them."))
    # One office's reminders at a time, so that a double click cannot remind the same bodies twice.
    Region.objects.select_for_update().get(pk=office.pk)
    overdue = status_list(office=office, period=period).overdue
    recent = ReminderLog.objects.filter(period_start=period.start, sent_at__gt=reminder_window_start()).filter(
        Q(region__in=[row.body for row in overdue if row.kind == "region"])
        | Q(unit__in=[row.body for row in overdue if row.kind == "unit"])
    )
    recent_keys = {("unit", u) if u else ("region", r) for r, u in recent.values_list("region", "unit")}
    outcome = ReminderOutcome()
    bodies = []
    for row in overdue:
        if (row.kind, row.body.pk) in recent_keys:
            outcome.recently_reminded.append(row.body)
        else:
            bodies.append((row.kind, row.body))
    outcome.reminded, outcome.without_address = _remind(bodies=bodies, period=period, sent_by=user, late=True)
    return outcome
