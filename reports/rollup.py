"""The figures of a half-month report, each computed in the database in one aggregate query."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr

from organisations.models import Unit
from regions.models import Region
from reports.models import Confirmation

ZERO = Decimal("0.00")


def cents(value):
    """Yuan with two decimals, rounded half up (四舍五入) as Chinese accounting does, whatever the database returned."""
    return Decimal(value or 0).quantize(ZERO, rounding=ROUND_HALF_UP)


def thousandths(value):
    """A quantity summed by the database, without the noise some backends add (18.0630000000000 → 18.063): the
    column holds three decimals, so the sum is exact at three."""
    return Decimal(value or 0).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def totals(records):
    """Amount, records, units and helpers, households, and the amount confirmed, unconfirmed and disputed (which add up
    to the amount): one query."""
    money = Coalesce(Sum("amount"), ZERO)
    result = records.aggregate(
        total=money,
        records=Count("pk"),
        units=Count("unit", distinct=True),
        registered_helpers=Count("helper", distinct=True),
        named_helpers=Count("helper_name", distinct=True, filter=Q(helper__isnull=True) & ~Q(helper_name="")),
        households=Coalesce(Sum("households_benefiting"), 0),
        confirmed_amount=Coalesce(Sum("amount", filter=Q(confirmation=Confirmation.CONFIRMED)), ZERO),
        unconfirmed_amount=Coalesce(Sum("amount", filter=Q(confirmation=Confirmation.UNCONFIRMED)), ZERO),
        disputed_amount=Coalesce(Sum("amount", filter=Q(confirmation=Confirmation.DISPUTED)), ZERO),
        confirmed_records=Count("pk", filter=Q(confirmation=Confirmation.CONFIRMED)),
        unconfirmed_records=Count("pk", filter=Q(confirmation=Confirmation.UNCONFIRMED)),
        disputed_records=Count("pk", filter=Q(confirmation=Confirmation.DISPUTED)),
    )
    result["helpers"] = result.pop("registered_helpers") + result.pop("named_helpers")
    result["amount"] = result.pop("total")
    for key in ("amount", "confirmed_amount", "unconfirmed_amount", "disputed_amount"):
        result[key] = cents(result[key])
    return result


def _renamed(rows):
    """Rows keyed amount/records/quantity (the annotations cannot reuse the model's field names)."""
    rows = list(rows)
    for row in rows:
        row["amount"], row["records"], row["quantity"] = (
            cents(row.pop("total")),
            row.pop("count"),
            thousandths(row.pop("qty")),
        )
    return rows


def _breakdown(records, *fields):
    return _renamed(
        records.values(*fields)
        .annotate(total=Sum("amount"), count=Count("pk"), qty=Sum("quantity"))
        .order_by("-total", *fields)
    )


def quantity_by_unit_of_measure(records):
    return _breakdown(records, "unit_of_measure")


def by_category(records):
    return _breakdown(records, "category")


def by_supplier(records):
    # The supplier's id too: two certified suppliers may share a trading name and must not share a row.
    return _breakdown(records, "seller_kind", "supplier_id", "supplier__name")


def by_village(records):
    return _breakdown(records, "village__code", "village__name")


def by_unit(records):
    return _breakdown(records, "unit_id", "unit__name")


def by_county(records):
    rows = _renamed(
        records.annotate(county=Substr("village__code", 1, 6))
        .values("county")
        .annotate(total=Sum("amount"), count=Count("pk"), qty=Sum("quantity"))
        .order_by("-total", "county")
    )
    names = dict(Region.objects.filter(code__in=[r["county"].ljust(12, "0") for r in rows]).values_list("code", "name"))
    for row in rows:
        row["county_name"] = names.get(row["county"].ljust(12, "0"), row["county"])
    return rows


# The reviewer reads the disputes one by one; a page lists at most this many (the totals count them all).
DISPUTES_LISTED = 200


def disputed_records(records, *, limit=DISPUTES_LISTED):
    """The disputed records with who sold what, for how much and why the seller disputes it: one query."""
    return list(
        records.filter(confirmation=Confirmation.DISPUTED)
        .order_by("purchased_on", "pk")
        .values(
            "pk",
            "purchased_on",
            "seller_kind",
            "supplier__name",
            "seller_name",
            "product_name",
            "quantity",
            "unit_of_measure",
            "amount",
            "dispute_reason",
        )[:limit]
    )


def dispute_list(records, *, limit=DISPUTES_LISTED):
    """The disputed records listed for the reviewer, and how many more there are beyond the list."""
    rows = disputed_records(records, limit=limit)
    more = records.filter(confirmation=Confirmation.DISPUTED).count() - limit if len(rows) == limit else 0
    return rows, more


def disputes_as_json(rows):
    """The disputed records listed for a report, to keep in its snapshot (dates as ISO text, Decimals as strings)."""
    return [{**as_json(row), "purchased_on": row["purchased_on"].isoformat()} for row in rows]


def disputes_from_json(rows):
    return [
        {
            **row,
            "purchased_on": date.fromisoformat(row["purchased_on"]),
            "quantity": Decimal(row["quantity"]),
            "amount": Decimal(row["amount"]),
        }
        for row in rows
    ]


def figures(records):
    """Everything a report shows about these records."""
    return {
        "totals": totals(records),
        "quantities": quantity_by_unit_of_measure(records),
        "categories": by_category(records),
        "suppliers": by_supplier(records),
        "villages": by_village(records),
        "counties": by_county(records),
        "units": by_unit(records),
    }


def as_json(value):
    """The figures with Decimals as strings, to keep a snapshot in a JSONField."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- the office dashboard, read from the purchase summary the database keeps ------------------------------------


def _yuan(fen):
    return cents(Decimal(fen or 0) / 100)


def summary_rows(*, region, year):
    """The summary buckets of a year under an office of county level or above (its code prefix fits a county's)."""
    from reports.models import PurchaseSummary

    return PurchaseSummary.objects.filter(
        period_start__gte=f"{year}-01-01",
        period_start__lte=f"{year}-12-31",
        county_code__startswith=region.prefix,
        records__gt=0,
    )


def summary_covers(region):
    """Whether the summary, kept per county, can answer for this region (a county or anything above it)."""
    return len(region.prefix) <= 6


def year_figures(*, region, year):
    """Totals, half-months, counties, categories and the 20 largest buying units of a year under an office; five
    queries over the summary whatever the number of records. Equal to the same figures over the records."""
    rows = summary_rows(region=region, year=year)
    fen = Coalesce(Sum("amount_fen"), 0)
    result = rows.aggregate(
        fen=fen,
        records=Coalesce(Sum("records"), 0),
        units=Count("unit_key", distinct=True, filter=Q(unit_key__gt=0)),
        households=Coalesce(Sum("households"), 0),
        confirmed_fen=Coalesce(Sum("amount_fen", filter=Q(confirmation=Confirmation.CONFIRMED)), 0),
        unconfirmed_fen=Coalesce(Sum("amount_fen", filter=Q(confirmation=Confirmation.UNCONFIRMED)), 0),
        disputed_fen=Coalesce(Sum("amount_fen", filter=Q(confirmation=Confirmation.DISPUTED)), 0),
    )
    totals = {
        "amount": _yuan(result["fen"]),
        "records": result["records"],
        "units": result["units"],
        "households": result["households"],
        "confirmed_amount": _yuan(result["confirmed_fen"]),
        "unconfirmed_amount": _yuan(result["unconfirmed_fen"]),
        "disputed_amount": _yuan(result["disputed_fen"]),
    }
    periods = {row["period_start"]: _yuan(row["fen"]) for row in rows.values("period_start").annotate(fen=fen)}
    counties = [
        {"county": row["county_code"], "amount": _yuan(row["fen"]), "records": row["n"]}
        for row in rows.values("county_code").annotate(fen=fen, n=Sum("records")).order_by("-fen", "county_code")
    ]
    names = dict(
        Region.objects.filter(code__in=[row["county"].ljust(12, "0") for row in counties]).values_list("code", "name")
    )
    for row in counties:
        row["county_name"] = names.get(row["county"].ljust(12, "0"), row["county"])
    categories = [
        {"category": row["category"], "amount": _yuan(row["fen"]), "records": row["n"]}
        for row in rows.values("category").annotate(fen=fen, n=Sum("records")).order_by("-fen", "category")
    ]
    units = [
        {"unit_id": row["unit_key"] or None, "amount": _yuan(row["fen"]), "records": row["n"]}
        for row in rows.values("unit_key").annotate(fen=fen, n=Sum("records")).order_by("-fen", "unit_key")[:20]
    ]
    unit_names = dict(
        Unit.objects.filter(pk__in=[row["unit_id"] for row in units if row["unit_id"]]).values_list("pk", "name")
    )
    for row in units:
        row["unit__name"] = unit_names.get(row["unit_id"])
    return {"totals": totals, "periods": periods, "counties": counties, "categories": categories, "units": units}


def unit_year_amounts(*, year, unit_ids, region=None):
    """What each of these units bought in a year (in villages under `region`, if given, a county or above), from the
    summary: one query, whatever the number of records. Units that bought nothing are absent."""
    from reports.models import PurchaseSummary

    rows = PurchaseSummary.objects.filter(
        period_start__gte=f"{year}-01-01", period_start__lte=f"{year}-12-31", unit_key__in=list(unit_ids)
    )
    if region is not None:
        rows = rows.filter(county_code__startswith=region.prefix)
    return {
        row["unit_key"]: _yuan(row["fen"])
        for row in rows.values("unit_key").annotate(fen=Sum("amount_fen")).filter(fen__gt=0)
    }
