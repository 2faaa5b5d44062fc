"""The chain reconciled: an office's report against the reports of the bodies directly under it.

A township's total is the sum of its villages' reports as they submitted them; a county's, of its townships'; a
city's, of its counties'. Whatever differs — records registered after a village reported, a village that never
reported, a record corrected since — is the reconciliation line, split into what the office's report counts that no
report below counted, and what a report below counted that the office's report no longer does. The line must be zero,
or explained by the preparer, before the office above approves.

Units report to the county (or city) they belong to and are listed with their status; their purchases are already
counted in the villages they bought from, so they are not added again.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from organisations.models import Unit
from regions.models import COUNTY, TOWNSHIP, VILLAGE, Region
from reports import rollup, selectors
from reports.models import HalfMonthReport, PurchaseRecord, ReportStatus

CHILD_LEVEL = {"city": COUNTY, COUNTY: TOWNSHIP, TOWNSHIP: VILLAGE}
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)


@dataclass
class ChildRow:
    body: object
    is_unit: bool
    latest: HalfMonthReport | None  # the body's most recent report of the period (an amendment under way included)
    counted: HalfMonthReport | None  # the most recent one submitted or approved, whose figures are added up
    amount: Decimal = rollup.ZERO
    records: int = 0

    @property
    def missing(self):
        return self.counted is None and (self.latest is None or self.latest.status != ReportStatus.RETURNED)

    @property
    def returned(self):
        return self.latest is not None and self.latest.status == ReportStatus.RETURNED

    @property
    def status_label(self):
        if self.latest is None:
            return _("No report")
        label = ReportStatus(self.latest.status).label
        if self.latest.amends_id:
            return _("Amendment: %(status)s") % {"status": label}
        return str(label)


@dataclass
class Reconciliation:
    report: HalfMonthReport
    rows: list = field(default_factory=list)
    own_amount: Decimal = rollup.ZERO
    own_records: int = 0
    children_amount: Decimal = rollup.ZERO
    children_records: int = 0
    # The two parts of the line: counted here but by no report below, and counted below but no longer here.
    added_amount: Decimal = rollup.ZERO
    added_records: int = 0
    dropped_amount: Decimal = rollup.ZERO
    dropped_records: int = 0

    @property
    def line(self):
        return self.own_amount - self.children_amount

    @property
    def line_records(self):
        return self.own_records - self.children_records

    @property
    def missing(self):
        return [row for row in self.rows if row.missing]

    @property
    def returned(self):
        return [row for row in self.rows if row.returned]

    @property
    def needs_explanation(self):
        return self.line != 0 or self.line_records != 0 or bool(self.missing) or bool(self.returned)

    def reasons(self):
        reasons = []
        if self.line != 0 or self.line_records != 0:
            reasons.append(
                _("its total differs from the reports below by ¥%(amount)s (%(records)s records)")
                % {"amount": f"{self.line:,.2f}", "records": self.line_records}
            )
        if self.missing:
            reasons.append(
                _("no report was submitted by %(names)s") % {"names": "、".join(str(r.body) for r in self.missing)}
            )
        if self.returned:
            reasons.append(
                _("the report of %(names)s was returned") % {"names": "、".join(str(r.body) for r in self.returned)}
            )
        return _("; ").join(reasons)

    def explanation_asked(self):
        return _(
            "Explain in the note why the report is submitted as it is: %(reasons)s. The reviewer reads the note on "
            "the report page."
        ) % {"reasons": self.reasons()}

    def approval_refused(self):
        return _(
            "This report cannot be approved: %(reasons)s, and the preparer gave no explanation. Return it so that "
            "the difference is corrected or explained."
        ) % {"reasons": self.reasons()}


def _report_records(report):
    """The records the report counts: those bound at submission, or the body's current records for a draft."""
    from reports.services import body_records, bound_records

    if report.status in COUNTED_STATUSES:
        return bound_records(report)
    return body_records(report)


def _sum(records):
    result = records.aggregate(amount=Coalesce(Sum("amount"), rollup.ZERO), records=Count("pk"))
    return rollup.cents(result["amount"]), result["records"]


def reconcile(report):
    """The reconciliation of an office's report with the reports under it; None for a village's or a unit's report.

    A fixed number of queries, whatever the number of bodies and records.
    """
    if report.unit_id or report.region.level not in CHILD_LEVEL:
        return None
    region = report.region
    children = list(Region.objects.filter(parent=region).order_by("code"))
    units = list(Unit.objects.filter(region=region).order_by("name", "pk"))
    latest, counted = {}, {}
    reports = HalfMonthReport.objects.filter(period_start=report.period_start).filter(
        Q(region__in=children) | Q(unit__in=units)
    )
    for child_report in reports.order_by("pk"):
        key = ("unit", child_report.unit_id) if child_report.unit_id else ("region", child_report.region_id)
        latest[key] = child_report
        if child_report.status in COUNTED_STATUSES:
            counted[key] = child_report
    result = Reconciliation(report=report)
    bodies = [(child, False, ("region", child.pk)) for child in children]
    bodies += [(unit, True, ("unit", unit.pk)) for unit in units]
    for body, is_unit, key in bodies:
        row = ChildRow(body=body, is_unit=is_unit, latest=latest.get(key), counted=counted.get(key))
        if row.counted is not None:
            totals = row.counted.figures.get("totals", {})
            row.amount = rollup.cents(totals.get("amount"))
            row.records = int(totals.get("records", 0))
            if not is_unit:
                result.children_amount += row.amount
                result.children_records += row.records
        result.rows.append(row)

    own = _report_records(report)
    if report.status in COUNTED_STATUSES and report.figures:
        totals = report.figures.get("totals", {})
        result.own_amount, result.own_records = rollup.cents(totals.get("amount")), int(totals.get("records", 0))
    else:
        result.own_amount, result.own_records = _sum(own)
    below = [r.pk for key, r in counted.items() if key[0] == "region"]
    result.added_amount, result.added_records = _sum(own.exclude(report_links__report__in=below))
    result.dropped_amount, result.dropped_records = _sum(
        PurchaseRecord.objects.filter(report_links__report__in=below).exclude(pk__in=own.values("pk"))
    )
    return result


def visible_child_reports(user, result):
    """The child reports this person may open, to link them from the table (one query)."""
    ids = [row.latest.pk for row in result.rows if row.latest is not None]
    return set(selectors.reports_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
