"""Execution against an independent computation: per unit, per office ranked, per county, in bounded queries."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from accounts import roles
from organisations.models import Unit
from procurement import selectors, services
from procurement.models import Canteen
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 10)  # day 100 of 365


def filed(unit, budget, percent, canteen=Canteen.OWN):
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    return services.filing_submit(
        unit=unit,
        year=2026,
        user=member,
        canteen=canteen,
        canteen_budget=Decimal(budget),
        share_percent=Decimal(percent),
    )


def bought(unit, *amounts):
    for amount in amounts:
        PurchaseRecordFactory(
            unit=unit, quantity=Decimal("1"), unit_price=Decimal(amount), purchased_on=date(2026, 3, 1)
        )


def by_hand(budget, percent, spent):
    """The figures worked out without the code under test."""
    reserved = (Decimal(budget) * Decimal(percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    day_of_year = (TODAY - date(2026, 1, 1)).days + 1
    expected = (reserved * day_of_year / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)
    executed = (Decimal(spent) * 100 / reserved).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return reserved, expected, executed


@pytest.fixture
def sangzhi():
    region("430800000000", "张家界市")
    return region("430822000000", "桑植县")


@pytest.fixture
def cili():
    return region("430821000000", "慈利县")


def test_a_units_execution_and_pro_rata_expectation_match_a_computation_by_hand(sangzhi):
    unit = UnitFactory(level=Unit.Level.COUNTY, region=sangzhi)
    filing = filed(unit, "333333.33", "12.5")
    bought(unit, "1234.56", "7890.12", "0.01")
    (row,) = selectors.execution_of([filing], year=2026, today=TODAY)
    reserved, expected, executed = by_hand("333333.33", "12.5", "9124.69")
    assert (row.reserved, row.spent, row.expected, row.percent) == (reserved, Decimal("9124.69"), expected, executed)
    assert row.expected_percent == Decimal("27.4")  # 100 / 365


def test_a_city_office_ranks_every_unit_and_county_in_its_jurisdiction_in_bounded_queries(
    sangzhi, cili, django_assert_max_num_queries
):
    city = region("430800000000", "张家界市")
    plan = [
        ("桑植县教育局", sangzhi, Unit.Level.COUNTY, "200000", "10", ["5000.00", "1000.00"]),
        ("桑植县卫健局", sangzhi, Unit.Level.COUNTY, "100000", "15", []),
        ("慈利县财政局", cili, Unit.Level.COUNTY, "300000", "10", ["12000.00"]),
        ("张家界市直机关", city, Unit.Level.CITY, "500000", "20", ["30000.00", "2500.50"]),
    ]
    for name, where, level, budget, percent, amounts in plan:
        unit = UnitFactory(name=name, region=where, level=level)
        filed(unit, budget, percent)
        bought(unit, *amounts)
    no_canteen = UnitFactory(name="桑植县档案馆", region=sangzhi, level=Unit.Level.COUNTY)
    filed(no_canteen, "0", "0", canteen=Canteen.NONE)
    bought(no_canteen, "10.00")
    UnitFactory(name="永顺县民政局", region=region("433127000000", "永顺县"))  # outside the city
    with django_assert_max_num_queries(6):
        rows = selectors.office_execution(office=city, year=2026, today=TODAY)
        counties = selectors.county_execution(rows)
    expected = {}
    for name, _where, _level, budget, percent, amounts in plan:
        spent = sum((Decimal(a) for a in amounts), Decimal("0"))
        expected[name] = by_hand(budget, percent, spent) if spent else (None, None, Decimal("0.0"))
    assert [(row.rank, row.unit.name) for row in rows] == [
        (1, "慈利县财政局"),
        (2, "张家界市直机关"),
        (3, "桑植县教育局"),
        (4, "桑植县卫健局"),
        (None, "桑植县档案馆"),
    ]
    percents = [row.percent for row in rows if row.percent is not None]
    assert percents == sorted(percents, reverse=True)
    by_name = {row.unit.name: row for row in rows}
    for name in ("慈利县财政局", "张家界市直机关", "桑植县教育局"):
        reserved, pro_rata, executed = expected[name]
        assert (by_name[name].reserved, by_name[name].expected, by_name[name].percent) == (reserved, pro_rata, executed)
    assert by_name["桑植县卫健局"].percent == Decimal("0.0")
    assert [(c["name"], c["percent"], c["rank"]) for c in counties] == [
        ("慈利县", Decimal("40.0"), 1),
        ("张家界市", Decimal("32.5"), 2),
        # 桑植: 6000 + 0 + 10 (no canteen) bought against 20000 + 15000 reserved
        ("桑植县", (Decimal("6010") * 100 / Decimal("35000")).quantize(Decimal("0.1"), ROUND_HALF_UP), 3),
    ]


def test_a_county_office_sees_only_its_own_units(sangzhi, cili):
    ours, theirs = UnitFactory(region=sangzhi, level="county"), UnitFactory(region=cili, level="county")
    filed(ours, "1000", "10")
    filed(theirs, "1000", "10")
    rows = selectors.office_execution(office=sangzhi, year=2026, today=TODAY)
    assert [row.unit for row in rows] == [ours]
