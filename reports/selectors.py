"""Reads of purchase records and reports, scoped to what a person may see."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from accounts import roles
from organisations.models import Unit
from regions.models import COUNTY, TOWNSHIP, VILLAGE, Region
from reports.models import HalfMonthReport, PurchaseRecord

REGION_ROLE_OF_LEVEL = {VILLAGE: roles.VILLAGE, TOWNSHIP: roles.TOWNSHIP, COUNTY: roles.COUNTY, "city": roles.CITY}
REVIEWER_ROLES = (roles.TOWNSHIP, roles.COUNTY, roles.CITY)


def user_roles(user):
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "report_roles_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        # Kept on the request's user object: a page asks several times and the groups do not change meanwhile.
        user.report_roles_cache = cached
    return cached


def office_region(user):
    """The region a clerk or reviewer answers for, if their role is a regional one."""
    if user.is_authenticated and user.region_id and user_roles(user) & set(REGION_ROLE_OF_LEVEL.values()):
        return user.region
    return None


def records_visible_to(user, *, as_seller=True):
    """Purchase records this person may see: their units', their village's or their jurisdiction's; else none.

    With as_seller=False, not the records that merely name the person's supplier as seller (whose receipts are the
    buyer's and the offices' business).
    """
    qs = PurchaseRecord.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk__in=[])
    held = user_roles(user)
    if roles.UNIT in held:
        condition |= Q(unit__members=user)
    region = office_region(user)
    if region is not None:
        condition |= Q(village__code__startswith=region.prefix)
        if held & set(REVIEWER_ROLES):
            condition |= Q(unit__region__code__startswith=region.prefix)
    if as_seller and roles.SUPPLIER in held:
        condition |= Q(supplier__users=user)
    return qs.filter(condition).distinct()


def receipts_visible_to(user):
    """Records whose receipt this person may open: their unit's or village's, or their office's jurisdiction's."""
    return records_visible_to(user, as_seller=False)


def units_of(user):
    if roles.UNIT not in user_roles(user):
        return Unit.objects.none()
    return user.units.all()


def records_for_body(*, body, period):
    """The current (not superseded) records a report of this body and period rolls up."""
    qs = PurchaseRecord.objects.filter(purchased_on__gte=period.start, purchased_on__lte=period.end, superseded=False)
    if isinstance(body, Unit):
        return qs.filter(unit=body)
    return qs.filter(village__code__startswith=body.prefix)


def reports_visible_to(user):
    qs = HalfMonthReport.objects.select_related("region", "unit", "prepared_by")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk__in=[])
    if roles.UNIT in user_roles(user):
        condition |= Q(unit__members=user)
    region = office_region(user)
    if region is not None:
        condition |= Q(region__code__startswith=region.prefix) | Q(unit__region__code__startswith=region.prefix)
    return qs.filter(condition).distinct()


def reviewer_region(report):
    """The office above the reporting body, which reviews its report."""
    if report.unit_id:
        unit_region = report.unit.region
        return unit_region if unit_region.level in (COUNTY, "city") else unit_region.ancestor_at(COUNTY)
    region = report.region
    if region.level == "city":
        return region
    return region.parent


def submission_overview(*, region, period, visible_reports=None):
    """For each body that reports to an office: its report for the period (or None) and its state (status.ReportState)."""
    from reports.status import status_list

    rows = status_list(office=region, period=period, visible_reports=visible_reports).rows
    return [{"body": row.body, "report": row.report, "state": row.state} for row in rows]


def dashboard_figures(*, region, year):
    """The office dashboard of a jurisdiction for a year; a fixed number of queries whatever the data."""

    from reports import rollup
    from reports.periods import periods_of_year

    year_figures = dashboard_year_figures(region=region, year=year)
    periods = [
        {"label": str(p), "amount": year_figures["periods"].get(p.start, rollup.ZERO)} for p in periods_of_year(year)
    ]
    return {
        "totals": year_figures["totals"],
        "periods": periods,
        "counties": year_figures["counties"],
        "categories": year_figures["categories"],
        "units": year_figures["units"],
        "progress": unit_progress_table(region=region, year=year),
    }


def unit_progress_table(*, region, year):
    """The units of a jurisdiction (their region is it or under it, never above) against their targets, lagging
    first, each with its purchases made in the jurisdiction that year: one query (two from the summary)."""
    from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
    from django.db.models.functions import Coalesce, NullIf

    from reports import rollup

    if rollup.summary_covers(region):
        return _unit_progress_from_summary(region=region, year=year)
    money = DecimalField(max_digits=16, decimal_places=2)
    hundred, zero = Value(rollup.Decimal("100"), output_field=money), Value(rollup.ZERO, output_field=money)
    bought = Coalesce(
        Sum(
            "records__amount",
            filter=Q(
                records__purchased_on__year=year,
                records__superseded=False,
                records__village__code__startswith=region.prefix,
            ),
        ),
        Value(rollup.ZERO),
        output_field=money,
    )
    units = list(
        Unit.objects.filter(region__code__startswith=region.prefix)
        .annotate(bought=bought)
        .annotate(
            reserved=ExpressionWrapper(F("canteen_budget") * F("reserved_share_percent") / hundred, output_field=money),
        )
        .annotate(
            target_percent=ExpressionWrapper(
                F("bought") * hundred / NullIf(F("annual_target"), zero), output_field=money
            ),
            reserved_percent=ExpressionWrapper(F("bought") * hundred / NullIf(F("reserved"), zero), output_field=money),
        )
        .order_by(F("target_percent").asc(nulls_last=True), "name")
        .values("pk", "name", "kind", "annual_target", "bought", "reserved", "target_percent", "reserved_percent")
    )
    for unit in units:
        for key in ("target_percent", "reserved_percent"):
            if unit[key] is not None:
                unit[key] = Decimal(unit[key]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return units


def _unit_progress_from_summary(*, region, year):
    """unit_progress_table for a county or the city: the year's amounts per unit from the purchase summary in one
    grouped query (a correlated subquery per unit costs seconds at a million records), the units in another, and the
    percentages worked out per unit, rounded half up."""
    from reports import rollup

    units = list(
        Unit.objects.filter(region__code__startswith=region.prefix).values(
            "pk", "name", "kind", "annual_target", "canteen_budget", "reserved_share_percent"
        )
    )
    bought = rollup.unit_year_amounts(year=year, unit_ids=[unit["pk"] for unit in units], region=region)
    tenth = Decimal("0.1")

    def percent(part, whole):
        if not whole:
            return None
        return (part * 100 / whole).quantize(tenth, rounding=ROUND_HALF_UP)

    for unit in units:
        budget, share = unit.pop("canteen_budget"), unit.pop("reserved_share_percent")
        unit["bought"] = bought.get(unit["pk"], rollup.ZERO)
        unit["reserved"] = (
            None if budget is None or share is None else rollup.cents(Decimal(budget) * Decimal(share) / 100)
        )
        unit["target_percent"] = percent(unit["bought"], unit["annual_target"])
        unit["reserved_percent"] = percent(unit["bought"], unit["reserved"])
    # Lagging first, as the query orders them below a county: the lowest share of the target, units without one last.
    units.sort(key=lambda u: (u["target_percent"] is None, u["target_percent"] or 0, u["name"]))
    return units


def units_visible_to(user):
    """Units whose own page this person may open: their own units, and the units in an office's jurisdiction."""
    qs = Unit.objects.select_related("region")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk__in=[])
    if roles.UNIT in user_roles(user):
        condition |= Q(members=user)
    region = office_region(user)
    if region is not None and user_roles(user) & set(REVIEWER_ROLES):
        condition |= Q(region__code__startswith=region.prefix)
    return qs.filter(condition).distinct()


def record_entry_choices(user):
    """The units and villages this person may register purchases for, the same for the form and the import: a village
    clerk registers any unit's purchases in their own village; a unit member their units' purchases in the villages
    paired with them."""
    region = office_region(user)
    if roles.VILLAGE in user_roles(user) and region is not None:
        return Unit.objects.all(), Region.objects.filter(pk=region.pk)
    units = units_of(user)
    return units, Region.objects.filter(paired_units__in=units).distinct()


def dashboard_year_figures(*, region, year):
    """A year of purchases under an office: from the summary the database keeps per county, or, below a county
    (whose records are few), from the records themselves. The same keys and the same figures either way."""
    from django.db.models import Case, IntegerField, Sum, Value, When
    from django.db.models.functions import ExtractMonth

    from reports import rollup

    if rollup.summary_covers(region):
        return rollup.year_figures(region=region, year=year)
    records = PurchaseRecord.objects.filter(
        purchased_on__year=year, superseded=False, village__code__startswith=region.prefix
    )
    half_start = Case(When(purchased_on__day__gt=15, then=Value(16)), default=Value(1), output_field=IntegerField())
    periods = {
        date(year, row["month"], row["day"]): rollup.cents(row["total"])
        for row in records.annotate(month=ExtractMonth("purchased_on"), day=half_start)
        .values("month", "day")
        .annotate(total=Sum("amount"))
    }
    totals = rollup.totals(records)
    totals.pop("helpers")
    return {
        "totals": totals,
        "periods": periods,
        "counties": rollup.by_county(records),
        "categories": rollup.by_category(records),
        "units": rollup.by_unit(records)[:20],
    }
