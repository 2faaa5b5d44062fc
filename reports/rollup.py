"""The figures of a half-month report, each computed in the database in one aggregate query."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr

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
