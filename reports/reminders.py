"""Reminders to the bodies that have not yet submitted the half-month report of the period whose deadline is near."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import HalfMonthReport, ReportStatus, Unit
from reports.periods import period_of
from reports.selectors import REGION_ROLE_OF_LEVEL


def period_due(today):
    """The period whose report is due within the deadline window that contains today, or None."""
    previous = period_of(today).previous()
    return previous if today <= previous.deadline else None


def report_reminders_send(*, today=None):
    """E-mail each preparer of a report not yet submitted for the period now due; returns how many messages.

    Run once a day: one reminder per body and day from the end of the period to its deadline.
    """
    today = today or timezone.localdate()
    period = period_due(today)
    if period is None:
        return 0
    submitted = HalfMonthReport.objects.filter(period_start=period.start, amends__isnull=True).exclude(
        status=ReportStatus.DRAFT
    )
    done_units = set(submitted.exclude(unit=None).values_list("unit_id", flat=True))
    done_regions = set(submitted.exclude(region=None).values_list("region_id", flat=True))
    User = get_user_model()
    recipients = {}
    for unit in Unit.objects.exclude(pk__in=done_units).prefetch_related("members"):
        emails = sorted(m.email for m in unit.members.all() if m.is_active and m.email)
        if emails:
            recipients[unit.name] = emails
    clerk_levels = Q()
    for level, role in REGION_ROLE_OF_LEVEL.items():
        clerk_levels |= Q(region__level=level, groups__name=role)
    clerks = (
        User.objects.filter(clerk_levels, is_active=True)
        .exclude(region_id__in=done_regions)
        .select_related("region")
        .distinct()
    )
    for clerk in clerks:
        recipients.setdefault(clerk.region.name, []).append(clerk.email)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: the half-month report for %(period)s is due on %(deadline)s") % {
            "period": period,
            "deadline": f"{period.deadline:%Y-%m-%d}",
        }
        messages = [
            (
                subject,
                _(
                    "The half-month report of %(body)s for %(period)s has not been submitted yet. Please submit it "
                    "in the back office (消费扶贫采购 → 半月报) by %(deadline)s."
                )
                % {"body": body, "period": period, "deadline": f"{period.deadline:%Y-%m-%d}"},
                settings.DEFAULT_FROM_EMAIL,
                emails,
            )
            for body, emails in sorted(recipients.items())
        ]
    return send_mass_mail(messages) if messages else 0
