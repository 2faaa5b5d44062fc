"""Who reports and who doesn't: the state of each body's half-month report, and a unit's progress over its year."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from organisations.models import Unit
from regions.models import CITY, COUNTY, LEVEL_DIGITS, TOWNSHIP, VILLAGE, Region
from reports import rollup
from reports.models import HalfMonthReport, PurchaseRecord, ReminderLog, ReportStatus
from reports.periods import periods_of_year

# The offices that receive half-month reports, and the level of the regions that report to each.
CHILD_LEVEL = {CITY: COUNTY, COUNTY: TOWNSHIP, TOWNSHIP: VILLAGE}


class ReportState(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("report state", "Not started")
    DRAFT = "draft", pgettext_lazy("report state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report state", "Submitted on time")
    LATE = "late", pgettext_lazy("report state", "Submitted late")
    OVERDUE = "overdue", pgettext_lazy("report state", "Overdue, not submitted")
    RETURNED = "returned", pgettext_lazy("report state", "Returned")
    APPROVED = "approved", pgettext_lazy("report state", "Approved")


# One distinct look per state, so that 迟报 and 逾期未报 never look alike.
BADGE = {
    ReportState.NOT_STARTED: "badge-light",
    ReportState.DRAFT: "badge-info",
    ReportState.SUBMITTED: "badge-primary",
    ReportState.LATE: "badge-warning",
    ReportState.OVERDUE: "badge-danger",
    ReportState.RETURNED: "badge-dark",
    ReportState.APPROVED: "badge-success",
}


def submitted_late(report, period):
    return report.submitted_at is not None and timezone.localdate(report.submitted_at) > period.deadline


def report_state(report, period, *, today):
    """The state of a body's (original, not amending) report for a period, or of its absence."""
    overdue = today > period.deadline
    if report is None:
        return ReportState.OVERDUE if overdue else ReportState.NOT_STARTED
    if report.status == ReportStatus.APPROVED:
        return ReportState.APPROVED
    if report.status == ReportStatus.RETURNED:
        return ReportState.RETURNED
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED):
        return ReportState.LATE if submitted_late(report, period) else ReportState.SUBMITTED
    return ReportState.OVERDUE if overdue else ReportState.DRAFT


def reporting_units(office):
    """The units whose half-month report this office reviews (see selectors.reviewer_region)."""
    if office.level == CITY:
        return Unit.objects.filter(region=office)
    if office.level == COUNTY:
        return Unit.objects.filter(region__code__startswith=office.prefix)
    return Unit.objects.none()


def reporting_regions(office):
    """The regions whose office reports to this one."""
    if office.level not in CHILD_LEVEL:
        return Region.objects.none()
    return Region.objects.filter(parent=office, level=CHILD_LEVEL[office.level])


@dataclass
class StatusRow:
    body: object
    kind: str  # "region" or "unit"
    state: str
    report: HalfMonthReport | None = None
    late: bool = False
    amount: Decimal | None = None
    amount_reported: bool = False
    can_open: bool = False
    reminders: int = 0
    last_reminded_at: object = None

    @property
    def label(self):
        return ReportState(self.state).label

    @property
    def badge(self):
        return BADGE[self.state]

    @property
    def key(self):
        return f"{self.kind}:{self.body.pk}"


@dataclass
class StatusList:
    office: Region
    period: object
    rows: list
    counts: list = field(default_factory=list)

    @property
    def overdue(self):
        return [row for row in self.rows if row.state == ReportState.OVERDUE]


def _registered_amounts(*, regions, units, period):
    """What each body has registered in the period so far: two grouped queries, whatever the number of bodies."""
    records = PurchaseRecord.objects.filter(
        purchased_on__gte=period.start, purchased_on__lte=period.end, superseded=False
    )
    amounts = {}
    if regions:
        digits = LEVEL_DIGITS[regions[0].level]
        prefixes = [region.prefix for region in regions]
        rows = (
            records.annotate(body_prefix=Substr("village__code", 1, digits))
            .filter(body_prefix__in=prefixes)
            .values("body_prefix")
            .annotate(total=Sum("amount"))
        )
        by_prefix = {row["body_prefix"]: rollup.cents(row["total"]) for row in rows}
        for region in regions:
            amounts[("region", region.pk)] = by_prefix.get(region.prefix, rollup.ZERO)
    if units:
        rows = records.filter(unit__in=units).values("unit").annotate(total=Sum("amount"))
        by_unit = {row["unit"]: rollup.cents(row["total"]) for row in rows}
        for unit in units:
            amounts[("unit", unit.pk)] = by_unit.get(unit.pk, rollup.ZERO)
    return amounts


def _reminder_counts(*, regions, units, period):
    logs = ReminderLog.objects.filter(period_start=period.start).filter(Q(region__in=regions) | Q(unit__in=units))
    found = {}
    for row in logs.values("region", "unit").annotate(n=Count("pk"), last=Max("sent_at")):
        key = ("unit", row["unit"]) if row["unit"] else ("region", row["region"])
        found[key] = (row["n"], row["last"])
    return found


def status_list(*, office, period, visible_reports=None, today=None):
    """Every body that reports to this office, with its state for the period; a fixed number of queries.

    `visible_reports`, the reports the viewer may open, decides which rows link to their report.
    """
    today = today or timezone.localdate()
    regions = list(reporting_regions(office))
    units = list(reporting_units(office).select_related("region"))
    reports = HalfMonthReport.objects.filter(period_start=period.start, amends__isnull=True).filter(
        Q(region__in=regions) | Q(unit__in=units)
    )
    by_body = {("unit", r.unit_id) if r.unit_id else ("region", r.region_id): r for r in reports}
    visible = set()
    if visible_reports is not None and by_body:
        ids = [report.pk for report in by_body.values()]
        visible = set(visible_reports.filter(pk__in=ids).values_list("pk", flat=True))
    registered = _registered_amounts(regions=regions, units=units, period=period)
    reminded = _reminder_counts(regions=regions, units=units, period=period)
    rows = []
    for kind, body in [("region", region) for region in regions] + [("unit", unit) for unit in units]:
        report = by_body.get((kind, body.pk))
        row = StatusRow(body=body, kind=kind, state=report_state(report, period, today=today), report=report)
        row.late = report is not None and submitted_late(report, period)
        row.can_open = report is not None and report.pk in visible
        if report is not None and report.status != ReportStatus.DRAFT and report.figures:
            row.amount = rollup.cents(report.figures.get("totals", {}).get("amount"))
            row.amount_reported = True
        else:
            row.amount = registered.get((kind, body.pk), rollup.ZERO)
        row.reminders, row.last_reminded_at = reminded.get((kind, body.pk), (0, None))
        rows.append(row)
    tally = {state: 0 for state in ReportState.values}
    for row in rows:
        tally[row.state] += 1
    counts = [
        {"state": state, "label": ReportState(state).label, "badge": BADGE[state], "count": tally[state]}
        for state in ReportState.values
    ]
    return StatusList(office=office, period=period, rows=rows, counts=counts)


def _half_up(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def unit_progress(*, unit, year, today=None):
    """A unit's purchases in a year against its annual target and its reserved share, and its reports' states."""
    today = today or timezone.localdate()
    records = PurchaseRecord.objects.filter(unit=unit, purchased_on__year=year, superseded=False)
    totals = rollup.totals(records)
    spent = totals["amount"]
    target = unit.annual_target
    reserved = _half_up(unit.canteen_budget * unit.reserved_share_percent / Decimal(100))
    first, last = date(year, 1, 1), date(year, 12, 31)
    days_in_year = 366 if calendar.isleap(year) else 365
    if today < first:
        elapsed, days_left = 0, days_in_year
    elif today > last:
        elapsed, days_left = days_in_year, 0
    else:
        elapsed, days_left = (today - first).days + 1, (last - today).days
    periods = [p for p in periods_of_year(year) if p.start <= today]
    reports = {
        report.period_start: report
        for report in HalfMonthReport.objects.filter(
            unit=unit, amends__isnull=True, period_start__gte=first, period_start__lte=last
        )
    }
    reminded = dict(
        ReminderLog.objects.filter(unit=unit, period_start__gte=first, period_start__lte=last)
        .values_list("period_start")
        .annotate(n=Count("pk"))
    )
    period_rows = []
    for period in reversed(periods):
        report = reports.get(period.start)
        state = report_state(report, period, today=today)
        period_rows.append(
            {
                "period": period,
                "deadline": period.deadline,
                "state": state,
                "label": ReportState(state).label,
                "badge": BADGE[state],
                "report": report,
                "late": report is not None and submitted_late(report, period),
                "reminders": reminded.get(period.start, 0),
            }
        )

    def against(goal):
        expected = _half_up(goal * elapsed / days_in_year)
        return {
            "goal": goal,
            "remaining": max(goal - spent, rollup.ZERO),
            "percent": None if not goal else (spent * 100 / goal).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            "expected": expected,
            "ahead": spent - expected,
        }

    return {
        "unit": unit,
        "year": year,
        "totals": totals,
        "spent": spent,
        "target": against(target),
        "reserved": against(reserved),
        "days_in_year": days_in_year,
        "days_elapsed": elapsed,
        "days_left": days_left,
        "periods": period_rows,
    }


def reminder_window_start(now=None):
    """A body reminded after this moment is not reminded again (at most one reminder an hour)."""
    return (now or timezone.now()) - timedelta(hours=1)
