"""What each role has to do now, for the back office's to-do page (待办).

One function per role. Each reads only what the person may act on and answers in a fixed number of queries whatever
the amount of data: counts are aggregates, lists are cut to LIST_LENGTH rows.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from operations.selectors import failed_work
from procurement.selectors import unit_share_rows
from regions.models import COUNTY, TOWNSHIP, VILLAGE
from reports import selectors as report_selectors
from reports.models import Confirmation, HalfMonthReport, PurchaseRecord, ReportStatus, SellerKind
from reports.periods import period_of
from reports.services import default_period
from reports.status import ReportState
from settlement import selectors as settlement_selectors
from shop.aftersales.selectors import claims_to_answer, claims_to_decide
from shop.invoicing import selectors as invoicing_selectors
from shop.order import statuses
from shop.order.selectors import awaiting_transfer, payment_review_queue
from shop.payment.selectors import refunds_owed
from suppliers import selectors as supplier_selectors
from suppliers.models import CertificationStatus, ChangeRequest, ProductCertification, SupplierCertification

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")
Refund = get_model("payment", "Refund")

LIST_LENGTH = 10
EXPIRY_WINDOW_DAYS = 60
# Orders whose lines count as a supplier's sales: paid, or accepted for cash on delivery.
SOLD = (*statuses.FULFILLABLE, statuses.DELIVERED, statuses.RECEIVED)
AWAITING_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def percent(part, whole):
    """part as a percentage of whole with one decimal (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def start_of(day):
    """The first moment of a calendar day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _money(value):
    return (value or ZERO).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- supplier staff ---


def supplier_todo(*, user, today=None):
    today = today or timezone.localdate()
    to_ship = Shipment.objects.filter(statuses.fulfillable_orders(), partner__users=user, shipped_at__isnull=True)
    records = PurchaseRecord.objects.filter(
        seller_kind=SellerKind.SUPPLIER, supplier__users=user, superseded=False, locked=False
    ).aggregate(
        unconfirmed=Count("pk", filter=Q(confirmation=Confirmation.UNCONFIRMED)),
        disputed=Count("pk", filter=Q(confirmation=Confirmation.DISPUTED)),
    )
    soon = today + timedelta(days=EXPIRY_WINDOW_DAYS)
    expiring_filter = {"status": CertificationStatus.CERTIFIED, "valid_until__gte": today, "valid_until__lte": soon}
    half = period_of(today)
    sales = (
        Line.objects.filter(partner__users=user, order__status__in=SOLD)
        .exclude(status__in=[statuses.CANCELLED, statuses.REFUNDED])
        .filter(order__date_placed__gte=start_of(today.replace(day=1)))
        .aggregate(
            month=Sum("line_price_incl_tax"),
            month_orders=Count("order", distinct=True),
            half=Sum("line_price_incl_tax", filter=Q(order__date_placed__gte=start_of(half.start))),
            half_orders=Count("order", distinct=True, filter=Q(order__date_placed__gte=start_of(half.start))),
        )
    )
    return {
        "parcels": list(to_ship.select_related("order", "partner").order_by("order__date_placed", "pk")[:LIST_LENGTH]),
        "parcel_count": to_ship.count(),
        "statements_ready": settlement_selectors.statements_ready_count(user=user),
        "invoices_to_issue": invoicing_selectors.invoices_to_issue_count(user=user),
        "unconfirmed": records["unconfirmed"],
        "disputed": records["disputed"],
        "product_applications": _status_counts(ProductCertification.objects.filter(partner__users=user)),
        "supplier_applications": _status_counts(SupplierCertification.objects.filter(partner__users=user)),
        "expiring": sorted(
            [
                *SupplierCertification.objects.filter(partner__users=user, **expiring_filter).select_related("partner")[
                    :LIST_LENGTH
                ],
                *ProductCertification.objects.filter(partner__users=user, **expiring_filter).select_related(
                    "partner", "product"
                )[:LIST_LENGTH],
            ],
            key=lambda certification: certification.valid_until,
        ),
        "expiry_window": EXPIRY_WINDOW_DAYS,
        "half": half,
        "sales_half": _money(sales["half"]),
        "sales_half_orders": sales["half_orders"],
        "sales_month": _money(sales["month"]),
        "sales_month_orders": sales["month_orders"],
        "claims_to_answer": claims_to_answer(user=user).count(),
    }


def _status_counts(certifications):
    """(status label, count) for each status these certifications are in, in the workflow's order."""
    counts = dict(certifications.values_list("status").annotate(n=Count("pk")))
    return [(status.label, counts[status.value]) for status in CertificationStatus if counts.get(status.value)]


# --- unit purchaser ---


def unit_todo(*, user, today=None):
    today = today or timezone.localdate()
    period = default_period()
    year_records = Q(records__purchased_on__year=today.year, records__superseded=False)
    units = list(
        report_selectors.units_of(user)
        .annotate(bought=Coalesce(Sum("records__amount", filter=year_records), Value(ZERO), output_field=MONEY))
        .order_by("name")
    )
    reports = {
        report.unit_id: report
        for report in HalfMonthReport.objects.filter(unit__in=units, period_start=period.start, amends__isnull=True)
    }
    overdue = today > period.deadline
    for unit in units:
        unit.report = reports.get(unit.pk)
        unit.late = overdue and (unit.report is None or unit.report.status == ReportStatus.DRAFT)
        unit.target_percent = percent(unit.bought, unit.annual_target)
        unit.reserved_percent = percent(unit.bought, unit.reserved_share_amount)
    returned = HalfMonthReport.objects.filter(unit__in=units, status=ReportStatus.RETURNED).select_related("unit")
    in_returned_report = Exists(
        HalfMonthReport.objects.filter(
            unit=OuterRef("unit"),
            status=ReportStatus.RETURNED,
            period_start__lte=OuterRef("purchased_on"),
            period_end__gte=OuterRef("purchased_on"),
        )
    )
    records = (
        PurchaseRecord.objects.filter(unit__in=units, superseded=False)
        .annotate(in_returned_report=in_returned_report)
        .aggregate(
            to_correct=Count("pk", filter=Q(in_returned_report=True)),
            disputed=Count("pk", filter=Q(confirmation=Confirmation.DISPUTED)),
        )
    )
    waiting = Order.objects.filter(unit__in=units, status__in=[statuses.PENDING, statuses.REVIEW])
    share = unit_share_rows(units=units, today=today)
    filed = {unit.pk for unit, row in share["rows"] if row is not None}
    for unit in units:
        # A filed share is shown with what counts toward it (sub-units, trade union, contractor) in its own card.
        unit.has_filing = unit.pk in filed
    return {
        "period": period,
        "units": units,
        "returned": list(returned.order_by("period_start")[:LIST_LENGTH]),
        "to_correct": records["to_correct"],
        "disputed": records["disputed"],
        "orders": list(waiting.select_related("unit").order_by("date_placed")[:LIST_LENGTH]),
        "order_count": waiting.count(),
        "unit_orders": invoicing_selectors.unit_todo(user=user, today=today),
        "share": share,
    }


# --- village and township clerks, county and city reviewers ---


def reviewed_by(region):
    """Reports that the office of this region reviews (reports.selectors.reviewer_region, as a query)."""
    scope = Q(region__parent=region) | Q(unit__region=region)
    if region.level == COUNTY:
        scope |= Q(unit__region__code__startswith=region.prefix, unit__region__level__in=[TOWNSHIP, VILLAGE])
    return HalfMonthReport.objects.filter(scope)


def clerk_todo(*, user, region, today=None):
    """A village or township clerk: the period's registrations, its own report, and (township) its villages'."""
    today = today or timezone.localdate()
    period = default_period()
    current = period_of(today)
    in_period = Q(purchased_on__gte=period.start, purchased_on__lte=period.end)
    in_current = Q(purchased_on__gte=current.start, purchased_on__lte=current.end)
    household = Q(seller_kind__in=[SellerKind.HOUSEHOLD, SellerKind.COOPERATIVE])
    figures = PurchaseRecord.objects.filter(village__code__startswith=region.prefix, superseded=False).aggregate(
        period_records=Count("pk", filter=in_period),
        period_amount=Sum("amount", filter=in_period),
        current_records=Count("pk", filter=in_current),
        current_amount=Sum("amount", filter=in_current),
        unconfirmed=Count("pk", filter=household & Q(confirmation=Confirmation.UNCONFIRMED, locked=False)),
        disputed=Count("pk", filter=Q(confirmation=Confirmation.DISPUTED)),
    )
    figures["period_amount"] = _money(figures["period_amount"])
    figures["current_amount"] = _money(figures["current_amount"])
    own = HalfMonthReport.objects.filter(region=region, period_start=period.start, amends__isnull=True).first()
    section = {
        "late": today > period.deadline and (own is None or own.status == ReportStatus.DRAFT),
        "region": region,
        "period": period,
        "current": current,
        "figures": figures,
        "report": own,
        "may_confirm": region.level == VILLAGE,
    }
    if region.level == TOWNSHIP:
        section["villages"] = report_selectors.submission_overview(region=region, period=period)
        section["first_checks"] = supplier_selectors.township_checks_waiting(township=region)
    return section


def reviewer_todo(*, user, region, may_decide_certifications, today=None):
    """A county or city office: reports to review, returned ones, bodies overdue, certifications and changes."""
    period = default_period()
    reports = reviewed_by(region).exclude(prepared_by=user)
    counts = reports.aggregate(
        waiting=Count("pk", filter=Q(status__in=AWAITING_REVIEW)),
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
    )
    overview = report_selectors.submission_overview(region=region, period=period)
    overdue = [row for row in overview if row["state"] == ReportState.OVERDUE]
    in_scope = Q(partner__region__code__startswith=region.prefix)
    pending = Q(status=CertificationStatus.PENDING)
    return {
        "region": region,
        "overdue_payments": invoicing_selectors.overdue_unit_orders(today=today)
        .filter(unit__region__code__startswith=region.prefix)
        .count(),
        "period": period,
        "waiting": list(
            reports.filter(status__in=AWAITING_REVIEW)
            .select_related("region", "unit")
            .order_by("submitted_at")[:LIST_LENGTH]
        ),
        "waiting_count": counts["waiting"],
        "returned": list(
            reports.filter(status=ReportStatus.RETURNED)
            .select_related("region", "unit")
            .order_by("reviewed_at")[:LIST_LENGTH]
        ),
        "returned_count": counts["returned"],
        "overdue": overdue,
        "certifications": ProductCertification.objects.filter(in_scope & pending).count()
        + SupplierCertification.objects.filter(in_scope & pending).count(),
        "may_decide_certifications": may_decide_certifications,
        "change_requests": ChangeRequest.objects.pending().filter(in_scope).count(),
        **supplier_selectors.office_certification_work(region=region),
    }


# --- platform operator ---


def operator_todo(*, user):
    transfers = awaiting_transfer(user=user)
    work = failed_work()
    return {
        "transfers": list(transfers.select_related("unit")[:LIST_LENGTH]),
        "transfer_count": transfers.count(),
        "flagged": payment_review_queue(user=user).count(),
        "refunds": Refund.objects.filter(status=Refund.REQUESTED).count(),
        "refunds_owed": refunds_owed(user=user).count(),
        "failed_tasks": work.tasks,
        "failed_emails": work.emails,
        "claims_to_decide": claims_to_decide(user=user).count(),
        "statements": settlement_selectors.statements_to_pay(limit=LIST_LENGTH),
    }
