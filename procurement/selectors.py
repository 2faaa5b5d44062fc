"""Reads of reserved-share filings and their execution, scoped to what a person may see.

What counts toward a filing, each record once: the purchase records (current, not superseded) of the filing unit in
the budget year — its own entries and imports, what its staff register under it, and its paid orders, which become
records by themselves (reports.services.records_from_order) and so are never added a second time — and the same of
the units whose purchases count for it: its sub-units that count toward it and its trade union, the units eating at
the canteen it files for, and the contractor running its canteen.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from accounts import roles
from organisations.models import Unit
from procurement.models import WITH_BUDGET, FilingStatus, ShareFiling
from regions.models import CITY, COUNTY, Region
from reports.models import PurchaseRecord
from reports.selectors import office_region, user_roles

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
OFFICE_ROLES = {roles.COUNTY, roles.CITY}


def half_up(value, step=CENT):
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def year_elapsed(year, today):
    """(days of the budget year gone by today, days in the year); the budget year is the calendar year."""
    days = 366 if calendar.isleap(year) else 365
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        return 0, days
    if today > last:
        return days, days
    return (today - first).days + 1, days


def jurisdiction_office_code(unit):
    """The code prefix of the office that confirms a unit's filing: the city's for a city-level unit, otherwise the
    county's of the unit's region."""
    digits = 4 if unit.level == Unit.Level.CITY else 6
    return unit.region.code[:digits]


def is_confirming_office(user, unit):
    region = office_region(user)
    if region is None or region.level not in (COUNTY, CITY) or not user_roles(user) & OFFICE_ROLES:
        return False
    if region.level == CITY:
        return unit.level == Unit.Level.CITY and unit.region.code.startswith(region.prefix)
    return unit.level != Unit.Level.CITY and unit.region.code.startswith(region.prefix)


def units_in_jurisdiction(region):
    return Unit.objects.filter(region__code__startswith=region.prefix)


def filings_visible_to(user):
    """Filings this person may open: their own units', or those in their office's jurisdiction."""
    qs = ShareFiling.objects.select_related("unit__region", "contractor")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk__in=[])
    held = user_roles(user)
    if roles.UNIT in held:
        condition |= Q(unit__members=user)
    region = office_region(user)
    if region is not None and held & OFFICE_ROLES:
        condition |= Q(unit__region__code__startswith=region.prefix)
    return qs.filter(condition).distinct()


def counting_units(filings):
    """{filing pk: set of unit pks whose purchases count toward it}, in four queries whatever the number."""
    filings = list(filings)
    counted = {filing.pk: {filing.unit_id} for filing in filings}
    by_unit = defaultdict(list)
    for filing in filings:
        by_unit[filing.unit_id].append(filing.pk)
        if filing.contractor_id:
            counted[filing.pk].add(filing.contractor_id)
    shared = list(
        ShareFiling.shared_with.through.objects.filter(sharefiling_id__in=counted).values_list(
            "sharefiling_id", "unit_id"
        )
    )
    for filing_id, unit_id in shared:
        counted[filing_id].add(unit_id)
    # A unit named by a filing not yet confirmed may file its own share meanwhile: its purchases then count toward its
    # own filing only, never twice.
    named = {filing.contractor_id for filing in filings if filing.contractor_id} | {unit_id for _f, unit_id in shared}
    if named:
        filing_own = set(
            ShareFiling.objects.filter(year__in={filing.year for filing in filings}, unit_id__in=named).values_list(
                "unit_id", "year"
            )
        )
        for filing in filings:
            counted[filing.pk] = {
                unit_id
                for unit_id in counted[filing.pk]
                if unit_id == filing.unit_id or (unit_id, filing.year) not in filing_own
            }
    sub_units = Unit.objects.filter(parent_id__in=by_unit).filter(
        Q(counts_toward_parent=True) | Q(kind=Unit.Kind.TRADE_UNION)
    )
    for unit_id, parent_id in sub_units.values_list("pk", "parent_id"):
        for filing_id in by_unit[parent_id]:
            counted[filing_id].add(unit_id)
    return counted


def spent_per_unit(*, unit_ids, year, until=None):
    """The year's current purchase records (up to a day, if given) summed per buying unit: one grouped query."""
    records = PurchaseRecord.objects.filter(unit_id__in=unit_ids, purchased_on__year=year, superseded=False)
    if until is not None:
        records = records.filter(purchased_on__lte=until)
    rows = records.values("unit_id").annotate(total=Sum("amount"))
    return {row["unit_id"]: row["total"] or ZERO for row in rows}


@dataclass
class Execution:
    filing: ShareFiling
    reserved: Decimal
    spent: Decimal
    percent: Decimal | None
    expected: Decimal
    expected_percent: Decimal
    units_counted: int
    rank: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def unit(self):
        return self.filing.unit

    @property
    def ahead(self):
        return self.spent - self.expected

    @property
    def has_share(self):
        return self.filing.canteen in WITH_BUDGET and self.reserved > 0


def execution_of(filings, *, year, today=None):
    """Each filing's execution: reserved share, spent, execution %, and the pro-rata expectation for today.

    The purchases are read in one grouped query over every unit that counts for any of the filings.
    """
    today = today or timezone.localdate()
    filings = list(filings)
    counted = counting_units(filings)
    spent = spent_per_unit(unit_ids={pk for units in counted.values() for pk in units}, year=year, until=today)
    elapsed, days = year_elapsed(year, today)
    expected_percent = half_up(Decimal(elapsed) * 100 / days, TENTH)
    rows = []
    for filing in filings:
        reserved = filing.reserved_amount
        total = sum((spent.get(pk, ZERO) for pk in counted[filing.pk]), ZERO)
        rows.append(
            Execution(
                filing=filing,
                reserved=reserved,
                spent=half_up(total),
                percent=half_up(total * 100 / reserved, TENTH) if reserved else None,
                expected=half_up(reserved * elapsed / days),
                expected_percent=expected_percent,
                units_counted=len(counted[filing.pk]),
            )
        )
    return rows


def ranked(rows):
    """Highest execution first, numbered; filings without a share (no canteen) after them, unnumbered."""
    with_share = sorted((row for row in rows if row.percent is not None), key=lambda r: (-r.percent, r.unit.name))
    without = sorted((row for row in rows if row.percent is None), key=lambda r: r.unit.name)
    for number, row in enumerate(with_share, start=1):
        row.rank = number
    return with_share + without


def office_execution(*, office, year, today=None):
    """Every filing of the year by a unit in the office's jurisdiction, with its execution, ranked."""
    filings = (
        ShareFiling.objects.filter(year=year, unit__region__code__startswith=office.prefix)
        .select_related("unit__region", "contractor")
        .order_by("unit__name")
    )
    return ranked(execution_of(filings, year=year, today=today))


def county_execution(rows):
    """The rows summed per county (the city-level units together, under the city's name), ranked by execution."""
    counties = {}
    for row in rows:
        unit = row.unit
        key = unit.region.code[:4] if unit.level == Unit.Level.CITY else unit.region.code[:6]
        entry = counties.setdefault(key, {"code": key, "reserved": ZERO, "spent": ZERO, "units": 0})
        entry["reserved"] += row.reserved
        entry["spent"] += row.spent
        entry["units"] += 1
    names = dict(Region.objects.filter(code__in=[key.ljust(12, "0") for key in counties]).values_list("code", "name"))
    result = []
    for key, entry in counties.items():
        entry["name"] = names.get(key.ljust(12, "0"), key)
        entry["percent"] = half_up(entry["spent"] * 100 / entry["reserved"], TENTH) if entry["reserved"] else None
        result.append(entry)
    result.sort(key=lambda e: (e["percent"] is None, -(e["percent"] or 0), e["code"]))
    for number, entry in enumerate(result, start=1):
        entry["rank"] = number
    return result


def unit_filings(*, units, year):
    return ShareFiling.objects.filter(unit__in=units, year=year).select_related("unit__region", "contractor")


def _naming(unit):
    return Q(shared_with=unit) | Q(contractor=unit)


def covering_filing(*, unit, year):
    """Another unit's confirmed filing of the year that covers this unit (a shared canteen or a contractor). Only a
    filing the office confirmed does: an unconfirmed naming is a pending claim (pending_claims) and blocks nothing."""
    return (
        ShareFiling.objects.filter(year=year, status=FilingStatus.CONFIRMED)
        .exclude(unit=unit)
        .filter(_naming(unit))
        .select_related("unit")
        .first()
    )


def pending_claims(*, units, year):
    """Other units' filings of the year, not yet confirmed, that name one of these units as sharing their canteen or
    running it: the named unit sees them, and may still file its own share."""
    units = list(units)
    claims = (
        ShareFiling.objects.filter(year=year)
        .exclude(status=FilingStatus.CONFIRMED)
        .exclude(unit__in=units)
        .filter(Q(shared_with__in=units) | Q(contractor__in=units))
        .select_related("unit", "contractor")
        .prefetch_related("shared_with")
        .distinct()
        .order_by("unit__name")
    )
    ids = {unit.pk for unit in units}
    return [
        (filing, [unit for unit in filing.shared_with.all() if unit.pk in ids] or [filing.contractor])
        for filing in claims
    ]


def same_jurisdiction(unit, other):
    """Whether two units answer to the same office (the same county, or the city for city-level units)."""
    return jurisdiction_office_code(unit) == jurisdiction_office_code(other)


def nameable_units(units):
    """The units a filing by one of these units may name: those answering to the same office."""
    codes = {jurisdiction_office_code(unit) for unit in units}
    condition = Q(pk__in=[])
    for code in codes:
        level = Q(level=Unit.Level.CITY) if len(code) == 4 else ~Q(level=Unit.Level.CITY)
        condition |= Q(region__code__startswith=code) & level
    return Unit.objects.filter(condition).order_by("name")


def conflicts_at_confirmation(filing):
    """Why a filing cannot be confirmed as it stands: a unit it names filed its own share of the year, or another
    confirmed filing already names it (its purchases would count twice). None when there is no conflict."""
    named = list(filing.shared_with.all()) + ([filing.contractor] if filing.contractor_id else [])
    if not named:
        return None
    own = ShareFiling.objects.filter(year=filing.year, unit__in=named).select_related("unit").first()
    if own is not None:
        return own.unit, None
    for unit in named:
        other = covering_filing(unit=unit, year=filing.year)
        if other is not None and other.pk != filing.pk:
            return unit, other
    return None


def unit_share_rows(*, units, today=None):
    """The landing page's card: each of the person's units with its filing of this year (execution) or none."""
    today = today or timezone.localdate()
    units = list(units)
    filings = {filing.unit_id: filing for filing in unit_filings(units=units, year=today.year)}
    executions = {row.filing.unit_id: row for row in execution_of(filings.values(), year=today.year, today=today)}
    return {"year": today.year, "rows": [(unit, executions.get(unit.pk)) for unit in units]}
