"""The office dashboard reads a summary the database keeps; whatever changes a record, the figures follow at once."""

from datetime import date
from decimal import Decimal

import pytest

from reports import rollup, selectors, services
from reports.models import PurchaseRecord
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, region

pytestmark = pytest.mark.django_db


def live(office, year=2020):
    """The same figures over the records themselves."""
    records = PurchaseRecord.objects.filter(
        purchased_on__year=year, superseded=False, village__code__startswith=office.prefix
    )
    totals = rollup.totals(records)
    totals.pop("helpers")
    for key in ("confirmed_records", "unconfirmed_records", "disputed_records"):
        totals.pop(key)
    return {
        "totals": totals,
        "counties": {row["county"]: (row["amount"], row["records"]) for row in rollup.by_county(records)},
        "categories": {row["category"]: (row["amount"], row["records"]) for row in rollup.by_category(records)},
        "units": {row["unit_id"]: (row["amount"], row["records"]) for row in rollup.by_unit(records)},
    }


def kept(office, year=2020):
    figures = rollup.year_figures(region=office, year=year)
    return {
        "totals": figures["totals"],
        "counties": {row["county"]: (row["amount"], row["records"]) for row in figures["counties"]},
        "categories": {row["category"]: (row["amount"], row["records"]) for row in figures["categories"]},
        "units": {row["unit_id"]: (row["amount"], row["records"]) for row in figures["units"]},
    }


@pytest.fixture
def city():
    return region("430800000000", "张家界市")


def test_every_kind_of_change_to_a_record_changes_the_dashboard_figures_at_once(city, village, unit, member):
    other_county_village = region("430821101201", "溪口村")
    record = PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    assert kept(city)["totals"]["amount"] == Decimal("800.00")
    assert kept(city) == live(city)

    record.unit_price = Decimal("80.05")
    record.amount = record.compute_amount()
    record.save()
    assert kept(city)["totals"]["amount"] == Decimal("800.50")

    PurchaseRecord.objects.filter(pk=record.pk).update(confirmation="disputed")
    assert kept(city)["totals"]["disputed_amount"] == Decimal("800.50")

    PurchaseRecord.objects.filter(pk=record.pk).update(village=other_county_village, purchased_on=date(2020, 7, 20))
    figures = selectors.dashboard_figures(region=city, year=2020)
    assert [c["county"] for c in figures["counties"]] == ["430821"]
    assert {p["label"]: p["amount"] for p in figures["periods"] if p["amount"]} == {
        str(period_of(date(2020, 7, 20))): Decimal("800.50")
    }
    assert kept(region("430822"))["totals"]["records"] == 0

    PurchaseRecord.objects.bulk_create(
        [PurchaseRecord(**{**fields, "amount": Decimal("12.35")}) for fields in [record_fields(village)] * 3]
    )
    assert kept(city) == live(city)
    assert kept(city)["totals"]["amount"] == Decimal("837.55")

    PurchaseRecord.objects.filter(pk=record.pk).update(superseded=True)
    assert kept(city)["totals"]["amount"] == Decimal("37.05")
    PurchaseRecord.objects.exclude(pk=record.pk).delete()
    assert kept(city)["totals"]["records"] == 0
    assert kept(city) == live(city)


def record_fields(village):
    return {
        "unit": None,
        "helper_name": "张帮扶",
        "village": village,
        "seller_kind": "household",
        "seller_name": "农户",
        "product_name": "腊肉",
        "category": "meat",
        "quantity": Decimal("0.5"),
        "unit_of_measure": "斤",
        "unit_price": Decimal("24.70"),
        "purchased_on": date(2020, 3, 5),
        "channel": "village",
    }


def test_an_amendment_through_the_service_is_counted_once(city, village, unit, member):
    record = services.record_create(registered_by=member, **{**record_fields(village), "unit": unit, "helper_name": ""})
    assert kept(city)["totals"]["amount"] == Decimal("12.35")
    PurchaseRecord.objects.filter(pk=record.pk).update(reported=True)
    record.refresh_from_db()
    services.record_amend(record=record, user=member, reason="数量登记错了", quantity=Decimal("2"))
    totals = kept(city)["totals"]
    assert totals["amount"] == Decimal("49.40") and totals["records"] == 1
    assert kept(city) == live(city)


def test_the_dashboard_of_a_city_with_many_units_and_counties_equals_its_records(city, village):
    units = UnitFactory.create_batch(25)
    villages = [village, region("430821101201"), region("430811101201"), region("430802101201")]
    for n in range(100):
        PurchaseRecordFactory(
            unit=units[n % 25] if n % 7 else None,
            helper_name="" if n % 7 else "李帮扶",
            village=villages[n % 4],
            category=["tea", "meat", "fruit"][n % 3],
            purchased_on=date(2020, 1 + n % 12, 1 + n % 28),
            unit_price=Decimal(n) + Decimal("0.33"),
            confirmation=["confirmed", "unconfirmed", "disputed"][n % 3],
        )
    figures = kept(city)
    expected = live(city)
    assert figures["totals"] == expected["totals"]
    assert figures["counties"] == expected["counties"]
    assert figures["categories"] == expected["categories"]
    top = sorted(expected["units"].items(), key=lambda item: (-item[1][0], item[0] or 0))[:20]
    assert figures["units"] == dict(top)
    assert len(figures["units"]) == 20


def test_a_township_office_has_its_figures_from_the_records_themselves(village):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4))
    PurchaseRecordFactory(village=region("430822102201"), purchased_on=date(2020, 3, 4))
    township = region("430822101")
    figures = selectors.dashboard_year_figures(region=township, year=2020)
    assert figures["totals"]["amount"] == Decimal("800.00") and figures["totals"]["records"] == 1
    assert figures["periods"] == {date(2020, 3, 1): Decimal("800.00")}


def test_what_each_unit_bought_in_a_year_comes_from_the_summary_and_equals_its_records(village, unit):
    other = UnitFactory()
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    PurchaseRecordFactory(unit=unit, village=region("430821101201"), purchased_on=date(2020, 9, 17))
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2021, 1, 4))
    PurchaseRecordFactory(unit=other, village=village, purchased_on=date(2020, 5, 4), superseded=True)
    ids = [unit.pk, other.pk]
    assert rollup.unit_year_amounts(year=2020, unit_ids=ids) == {unit.pk: Decimal("1600.00")}
    assert rollup.unit_year_amounts(year=2020, unit_ids=ids, region=region("430822")) == {unit.pk: Decimal("800.00")}


SUMMARY_TRIGGERS = {
    "reports_purchase_summary_insert",
    "reports_purchase_summary_delete",
    "reports_purchase_summary_update",
}


def test_the_summary_triggers_survive_every_migration_of_the_records_table():
    """A later migration that rebuilds the records table (SQLite rebuilds a table to alter a column) would drop its
    triggers silently and the figures would stop following the records: the migrated database must still have all
    three."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'reports_purchaserecord'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'reports_purchaserecord'"
            )
        found = {name for (name,) in cursor.fetchall()}
    assert SUMMARY_TRIGGERS <= found, f"missing: {SUMMARY_TRIGGERS - found}"
