"""Every figure of every report, recomputed in plain Python over generated records, equals what the site shows: the
rollup, the report page, the CSV, the .xlsx and the office dashboard, to the fen, quantities per unit of measure."""

import csv
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from organisations.models import Unit
from reports import rollup, selectors
from reports.models import HalfMonthReport, PurchaseRecord, UnitOfMeasure
from reports.outputs import report_csv, report_xlsx
from reports.periods import period_of
from tests.factories import PartnerFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIODS = [period_of(date(2020, 3, 1)), period_of(date(2020, 3, 16)), period_of(date(2020, 4, 1))]
CATEGORIES = ["grain", "meat", "vegetables", "fruit", "tea", "other"]
UNITS_OF_MEASURE = ["斤", "只", "箱", "个"]
FEN = Decimal("0.01")


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def world():
    """Two townships of 桑植县 with two villages each, a village of 慈利县, county and city units, and a few hundred
    records over three periods, some superseded by an amendment, some confirmed or disputed."""
    city = region("430800000000", "张家界市")
    villages = [
        region("430822101201", "合群村"),
        region("430822101202", "芙蓉村"),
        region("430822102201", "双溪村"),
        region("430822102202", "龙潭村"),
        region("430821101201", "溪口村"),
    ]
    units = [
        UnitFactory(name="县人民医院", region=region("430822000000", "桑植县"), level=Unit.Level.COUNTY),
        UnitFactory(name="县第一中学", region=region("430822000000"), level=Unit.Level.COUNTY),
        UnitFactory(name="市财政局", region=city),
    ]
    suppliers = [PartnerFactory(name="茅岩莓合作社"), PartnerFactory(name="白茶公司")]
    rng = random.Random(17)
    records = []
    for n in range(360):
        period = rng.choice(PERIODS)
        kind = rng.choice(["supplier", "household", "cooperative"])
        unit = rng.choice(units + [None])
        quantity = Decimal(rng.randint(1, 500_000)) / 1000
        price = Decimal(rng.randint(1, 90_000)) / 100
        confirmation = rng.choice(["confirmed", "confirmed", "unconfirmed", "disputed"])
        record = PurchaseRecord(
            unit=unit,
            helper_name="" if unit else rng.choice(["张帮扶", "李帮扶", "王帮扶"]),
            village=rng.choice(villages),
            seller_kind=kind,
            supplier=rng.choice(suppliers) if kind == "supplier" else None,
            seller_name="" if kind == "supplier" else f"农户{rng.randint(1, 9)}",
            product_name=rng.choice(["腊肉", "莓茶", "土鸡", "大米"]),
            category=rng.choice(CATEGORIES),
            quantity=quantity,
            unit_of_measure=rng.choice(UNITS_OF_MEASURE),
            unit_price=price,
            households_benefiting=rng.randint(0, 4),
            purchased_on=period.start + timedelta(days=rng.randint(0, (period.end - period.start).days)),
            channel="village",
            confirmation=confirmation,
            dispute_reason=f"数量不符{n}" if confirmation == "disputed" else "",
            superseded=n % 29 == 0,
        )
        record.amount = record.compute_amount()
        records.append(record)
    PurchaseRecord.objects.bulk_create(records)
    bodies = [*villages, region("430822101"), region("430822102"), region("430822"), region("430821"), city, *units]
    return {"city": city, "bodies": bodies, "units": units}


def expected_figures(body, period):
    """The figures of a body's report, from the records in Python: no database aggregate involved."""
    rows = [
        r
        for r in PurchaseRecord.objects.select_related("village", "unit", "supplier")
        if not r.superseded
        and period.start <= r.purchased_on <= period.end
        and (r.unit_id == body.pk if isinstance(body, Unit) else r.village.code.startswith(body.prefix))
    ]

    def group(key):
        buckets = defaultdict(lambda: {"amount": Decimal("0"), "records": 0, "quantity": Decimal("0")})
        for r in rows:
            bucket = buckets[key(r)]
            bucket["amount"] += r.amount
            bucket["records"] += 1
            bucket["quantity"] += r.quantity
        return dict(buckets)

    def amount_of(confirmation):
        return sum((r.amount for r in rows if r.confirmation == confirmation), Decimal("0"))

    return {
        "totals": {
            "amount": sum((r.amount for r in rows), Decimal("0")),
            "records": len(rows),
            "units": len({r.unit_id for r in rows if r.unit_id}),
            "helpers": len({r.helper_name for r in rows if r.helper_name}),
            "households": sum(r.households_benefiting for r in rows),
            "confirmed_amount": amount_of("confirmed"),
            "unconfirmed_amount": amount_of("unconfirmed"),
            "disputed_amount": amount_of("disputed"),
            "confirmed_records": sum(r.confirmation == "confirmed" for r in rows),
            "unconfirmed_records": sum(r.confirmation == "unconfirmed" for r in rows),
            "disputed_records": sum(r.confirmation == "disputed" for r in rows),
        },
        "quantities": group(lambda r: r.unit_of_measure),
        "categories": group(lambda r: r.category),
        "suppliers": group(lambda r: (r.seller_kind, r.supplier.name if r.supplier else None)),
        "villages": group(lambda r: r.village.code),
        "units": group(lambda r: r.unit.name if r.unit else None),
        "counties": group(lambda r: r.village.code[:6]),
        "disputes": sorted(
            (r.seller_name or r.supplier.name, r.amount, r.dispute_reason) for r in rows if r.confirmation == "disputed"
        ),
    }


def keyed(rows, *key):
    return {
        (row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)): {
            "amount": Decimal(str(row["amount"])),
            "records": row["records"],
            "quantity": Decimal(str(row["quantity"])),
        }
        for row in rows
    }


def assert_same_figures(figures, expected):
    """The rollup's figures (Decimals or the strings of a snapshot) against the recomputation."""
    totals = figures["totals"]
    for key, value in expected["totals"].items():
        got = Decimal(str(totals[key])) if isinstance(value, Decimal) else totals[key]
        assert got == value, key
    assert keyed(figures["quantities"], "unit_of_measure") == expected["quantities"]
    assert keyed(figures["categories"], "category") == expected["categories"]
    assert keyed(figures["suppliers"], "seller_kind", "supplier__name") == expected["suppliers"]
    assert keyed(figures["villages"], "village__code") == expected["villages"]
    assert keyed(figures["units"], "unit__name") == expected["units"]
    assert keyed(figures["counties"], "county") == expected["counties"]


def csv_sections(text):
    """The CSV's tables by their title: the rows under each header, up to the next blank line."""
    sections, current = {}, None
    for row in csv.reader(StringIO(text.lstrip("\ufeff"))):
        if not row:
            current = None
        elif current is None and len(row) == 1:
            current = sections.setdefault(row[0], [])
        elif current is not None:
            current.append(row)
    return {title: rows[1:] for title, rows in sections.items()}


def xlsx_sections(content):
    sheet = load_workbook(BytesIO(content)).active
    sections, current = {}, None
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = [v for v in row if v is not None]
        if not values:
            current = None
        elif current is None and len(values) == 1 and isinstance(values[0], str):
            current = sections.setdefault(values[0], [])
        elif current is not None:
            current.append(list(row))
    return {title: rows[1:] for title, rows in sections.items()}


def test_every_body_and_period_is_recomputed_to_the_fen_by_the_rollup(world):
    for body in world["bodies"]:
        for period in PERIODS:
            figures = rollup.figures(selectors.records_for_body(body=body, period=period))
            assert_same_figures(figures, expected_figures(body, period))


def test_the_page_csv_and_xlsx_of_each_report_show_the_recomputed_figures(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for body in world["bodies"]:
        period = PERIODS[1]
        expected = expected_figures(body, period)
        report = HalfMonthReport.objects.create(
            unit=body if isinstance(body, Unit) else None,
            region=None if isinstance(body, Unit) else body,
            period_start=period.start,
            period_end=period.end,
        )
        response = client.get(reverse("reports-dashboard:report-detail", args=[report.pk]))
        assert response.status_code == 200
        assert_same_figures(response.context["figures"], expected)
        assert (
            sorted(
                (d["supplier__name"] or d["seller_name"], d["amount"], d["dispute_reason"])
                for d in response.context["disputes"]
            )
            == expected["disputes"]
        )

        with translation.override("zh-hans"):
            csv_tables = csv_sections(report_csv(report))
            xlsx_tables = xlsx_sections(report_xlsx(report))
        for tables, number in ((csv_tables, Decimal), (xlsx_tables, lambda v: Decimal(v).quantize(FEN))):
            amount, records = tables["汇总"][0][:2]
            assert number(str(amount)) == expected["totals"]["amount"]
            assert int(records) == expected["totals"]["records"]
            confirmation = {row[0]: number(str(row[2])) for row in tables["销售方确认"]}
            assert confirmation["销售方已确认"] == expected["totals"]["confirmed_amount"]
            assert confirmation["销售方未确认"] == expected["totals"]["unconfirmed_amount"]
            assert confirmation["销售方有异议"] == expected["totals"]["disputed_amount"]
            assert confirmation["合计"] == expected["totals"]["amount"]
            quantities = {
                row[0]: (Decimal(str(row[1])).normalize(), int(row[2]), number(str(row[3])))
                for row in tables["按计量单位的数量"]
            }
            assert quantities == {
                str(UnitOfMeasure(unit).label): (b["quantity"].normalize(), b["records"], b["amount"])
                for unit, b in expected["quantities"].items()
            }
            villages = {row[1]: number(str(row[3])) for row in tables["按村"]}
            assert villages == {code: b["amount"] for code, b in expected["villages"].items()}
            disputes = [row for row in tables["有异议的采购记录"] if row[0] != "无"]
            assert sorted((row[1], number(str(row[5])), row[6]) for row in disputes) == expected["disputes"]


def test_the_office_dashboard_of_the_city_and_a_county_equals_the_recomputation(world):
    for code in ("430800", "430822"):
        office = region(code)
        figures = selectors.dashboard_figures(region=office, year=2020)
        rows = [r for r in PurchaseRecord.objects.select_related("village") if not r.superseded]
        rows = [r for r in rows if r.village.code.startswith(office.prefix) and r.purchased_on.year == 2020]
        totals = figures["totals"]
        assert totals["amount"] == sum(r.amount for r in rows)
        assert totals["records"] == len(rows)
        assert totals["units"] == len({r.unit_id for r in rows if r.unit_id})
        assert totals["households"] == sum(r.households_benefiting for r in rows)
        for confirmation in ("confirmed", "unconfirmed", "disputed"):
            assert totals[f"{confirmation}_amount"] == sum(
                (r.amount for r in rows if r.confirmation == confirmation), Decimal("0")
            )
        by_period = defaultdict(Decimal)
        for r in rows:
            by_period[str(period_of(r.purchased_on))] += r.amount
        assert {p["label"]: p["amount"] for p in figures["periods"] if p["amount"]} == dict(by_period)
        by_county = defaultdict(Decimal)
        by_category = defaultdict(Decimal)
        by_unit = defaultdict(Decimal)
        for r in rows:
            by_county[r.village.code[:6]] += r.amount
            by_category[r.category] += r.amount
            by_unit[r.unit_id] += r.amount
        assert {c["county"]: c["amount"] for c in figures["counties"]} == dict(by_county)
        assert {c["category"]: c["amount"] for c in figures["categories"]} == dict(by_category)
        assert {u["unit_id"]: u["amount"] for u in figures["units"]} == dict(by_unit)
        # The progress table: each unit of the jurisdiction (its region is the office's or under it) with what it
        # bought in the jurisdiction that year.
        units = Unit.objects.filter(region__code__startswith=office.prefix)
        assert {u["pk"]: u["bought"] for u in figures["progress"]} == {
            unit.pk: sum((r.amount for r in rows if r.unit_id == unit.pk), Decimal("0.00")) for unit in units
        }


def test_half_up_rounding_of_the_recomputation_matches_the_stored_amounts(world):
    for record in PurchaseRecord.objects.all()[:50]:
        assert record.amount == (record.quantity * record.unit_price).quantize(FEN, rounding=ROUND_HALF_UP)
