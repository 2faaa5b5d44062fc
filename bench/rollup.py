"""Half-month report and office dashboard figures over a million purchase records (PostgreSQL).

Creates a fresh database, a city of 4 counties (20 townships, 300 villages) and 500 units, and generates
--records purchase records over the 24 half-months of 2020 with one INSERT … SELECT generate_series. Then it times,
best of --repeat runs each:
  * the city's half-month report figures (reports.rollup.figures over one period), against the same figures
    written by hand as SQL GROUP BY queries over the same rows;
  * the office dashboard figures for the whole year (reports.selectors.dashboard_figures), against hand-written SQL.
Prints the times and the ratios (targets: the report within 1.5× of raw SQL, the dashboard under 0.5 s with every
figure equal to the raw SQL's; it reads the summary the database keeps, the raw SQL reads the records).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/rollup.py
    ... bench/rollup.py --records 100000        # a quicker run
    ... bench/rollup.py --reuse                 # the database of the last run, if it has as many records
    BENCH_DATABASE=other_name ...                # another database than xfbsc_bench_rollup
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_DATABASE", "xfbsc_bench_rollup")


def fresh_database():
    from bench.common import fresh_postgres_database

    return fresh_postgres_database(DATABASE)


def existing_records():
    """How many purchase records the bench database holds, or None if it cannot be read."""
    import psycopg

    try:
        with psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute("SELECT count(*) FROM reports_purchaserecord").fetchone()[0]
    except psycopg.Error:
        return None


def build_city(records):
    from django.db import connection

    from organisations.models import Unit
    from regions.models import Region

    province = Region.objects.create(code="430000000000", name="湖南省", level="province")
    city = Region.objects.create(code="430800000000", name="张家界市", level="city", parent=province)
    villages = []
    for c in range(4):
        county = Region.objects.create(code=f"4308{c + 21:02d}000000", name=f"县{c + 1}", level="county", parent=city)
        for t in range(5):
            township = Region.objects.create(
                code=f"{county.code[:6]}{t + 101:03d}000", name=f"乡镇{c + 1}-{t + 1}", level="township", parent=county
            )
            for v in range(15):
                villages.append(
                    Region(
                        code=f"{township.code[:9]}{v + 201:03d}", name=f"村{c}{t}{v}", level="village", parent=township
                    )
                )
    Region.objects.bulk_create(villages)
    counties = list(Region.objects.filter(level="county"))
    Unit.objects.bulk_create(
        Unit(
            name=f"单位{n:03d}",
            kind=Unit.Kind.values[n % len(Unit.Kind.values)],
            level=Unit.Level.COUNTY if n % 3 else Unit.Level.CITY,
            region=counties[n % 4] if n % 3 else city,
            annual_target=100000 + n * 1000,
            canteen_budget=500000,
        )
        for n in range(500)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reports_purchaserecord (
                unit_id, helper_name, village_id, seller_kind, seller_name, product_name, category, quantity,
                unit_of_measure, unit_of_measure_text, unit_price, amount, households_benefiting, purchased_on, channel, payment_method,
                receipt, receipt_name, source, confirmation, dispute_reason, superseded, reported, locked, created_at)
            SELECT u.ids[1 + (g * 7) %% 500], '', v.ids[1 + g %% 300], 'household', '农户' || (g %% 97), '农产品',
                   (ARRAY['grain','meat','vegetables','fruit','tea','processed','handicraft','other'])[1 + g %% 8],
                   1 + g %% 50, (ARRAY['jin','animal','box','carton'])[1 + g %% 4], '', 10 + g %% 90,
                   (1 + g %% 50) * (10 + g %% 90), g %% 5, DATE '2020-01-01' + (g %% 366), 'village', '', '', '', 'form',
                   (ARRAY['confirmed','unconfirmed','confirmed','disputed'])[1 + g %% 4], '', false, false, false, now()
            FROM generate_series(1, %s) AS g,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM reports_unit) AS u,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM regions_region WHERE level = 'village') AS v
            """,
            [records],
        )
        cursor.execute("ANALYZE")
    return city, time.perf_counter() - started


WHERE_PERIOD = """r.purchased_on BETWEEN %(start)s AND %(end)s AND NOT r.superseded AND v.code LIKE '4308%%'"""
RAW_REPORT = [
    f"""SELECT SUM(r.amount), COUNT(*), COUNT(DISTINCT r.unit_id), COUNT(DISTINCT r.helper_id),
              COUNT(DISTINCT r.helper_name) FILTER (WHERE r.helper_id IS NULL AND r.helper_name <> ''),
              SUM(r.households_benefiting),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'confirmed'),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'unconfirmed'),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'disputed'),
              COUNT(*) FILTER (WHERE r.confirmation = 'confirmed'),
              COUNT(*) FILTER (WHERE r.confirmation = 'unconfirmed'),
              COUNT(*) FILTER (WHERE r.confirmation = 'disputed')
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_PERIOD}""",
] + [
    f"""SELECT {key}, SUM(r.amount), COUNT(*), SUM(r.quantity)
        FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id {join}
        WHERE {WHERE_PERIOD} GROUP BY {key}"""
    for key, join in (
        ("r.unit_of_measure", ""),
        ("r.category", ""),
        ("r.seller_kind, r.supplier_id, p.name", "LEFT JOIN partner_partner p ON p.id = r.supplier_id"),
        ("v.code, v.name", ""),
        ("substr(v.code, 1, 6)", ""),
        ("r.unit_id, u.name", "LEFT JOIN reports_unit u ON u.id = r.unit_id"),
    )
]
WHERE_YEAR = WHERE_PERIOD
# The dashboard's own figures (totals, half-months, counties, categories, the 20 largest units) over the records.
RAW_DASHBOARD = [
    f"""SELECT SUM(r.amount), COUNT(*), COUNT(DISTINCT r.unit_id), SUM(r.households_benefiting),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'confirmed'),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'unconfirmed'),
              SUM(r.amount) FILTER (WHERE r.confirmation = 'disputed')
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_YEAR}""",
    f"""SELECT extract(month FROM r.purchased_on), extract(day FROM r.purchased_on) > 15, SUM(r.amount)
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_YEAR} GROUP BY 1, 2""",
    f"""SELECT substr(v.code, 1, 6), SUM(r.amount), COUNT(*)
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_YEAR} GROUP BY 1
       ORDER BY 2 DESC""",
    f"""SELECT r.category, SUM(r.amount), COUNT(*)
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_YEAR} GROUP BY 1""",
    f"""SELECT r.unit_id, SUM(r.amount), COUNT(*)
       FROM reports_purchaserecord r JOIN regions_region v ON v.id = r.village_id WHERE {WHERE_YEAR} GROUP BY 1
       ORDER BY 2 DESC, 1 LIMIT 20""",
]


def raw_dashboard_totals(params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_DASHBOARD[0], params)
        amount, records, units, households, confirmed, unconfirmed, disputed = cursor.fetchone()
        cursor.execute(RAW_DASHBOARD[2], params)
        counties = {code: total for code, total, _n in cursor.fetchall()}
        cursor.execute(RAW_DASHBOARD[3], params)
        categories = {code: total for code, total, _n in cursor.fetchall()}
    return {
        "totals": {
            "amount": amount,
            "records": records,
            "units": units,
            "households": households,
            "confirmed_amount": confirmed or 0,
            "unconfirmed_amount": unconfirmed or 0,
            "disputed_amount": disputed or 0,
        },
        "counties": counties,
        "categories": categories,
    }


def best_of(repeat, function):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def raw(queries, params):
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run if it holds as many records"
    )
    args = parser.parse_args()
    existing = None
    if args.reuse:
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + DATABASE
        existing = existing_records()
    if existing != args.records:
        os.environ["DATABASE_URL"] = fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    from reports import rollup, selectors
    from reports.periods import period_of

    if existing == args.records:
        from django.db import connection

        from regions.models import Region

        city = Region.objects.get(code="430800000000")
        with connection.cursor() as cursor:
            # A summary filled by a migration since the last run has no planner statistics yet.
            cursor.execute("ANALYZE")
        print(f"reusing {existing:,} records")
    else:
        city, seconds = build_city(args.records)
        print(f"generated {args.records:,} records in {seconds:.1f} s")
    period = period_of(date(2020, 6, 20))
    records = selectors.records_for_body(body=city, period=period)
    in_period = records.count()
    year = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    report = best_of(args.repeat, lambda: rollup.figures(records))
    report_raw = best_of(args.repeat, lambda: raw(RAW_REPORT, {"start": period.start, "end": period.end}))
    dashboard = best_of(args.repeat, lambda: selectors.dashboard_figures(region=city, year=2020))
    year_figures = best_of(args.repeat, lambda: selectors.dashboard_year_figures(region=city, year=2020))
    dashboard_raw = best_of(args.repeat, lambda: raw(RAW_DASHBOARD, year))
    figures = selectors.dashboard_year_figures(region=city, year=2020)
    expected = raw_dashboard_totals(year)
    exact = (
        figures["totals"] == expected["totals"]
        and {c["county"]: c["amount"] for c in figures["counties"]} == expected["counties"]
        and {c["category"]: c["amount"] for c in figures["categories"]} == expected["categories"]
    )
    print(
        f"city half-month report ({period}, {in_period:,} records): {report * 1000:.0f} ms; "
        f"raw SQL {report_raw * 1000:.0f} ms; ratio {report / report_raw:.2f} (target ≤ 1.5)"
    )
    print(
        f"office dashboard (year 2020, {args.records:,} records): totals, half-months, counties, categories and "
        f"units {year_figures * 1000:.0f} ms (target < 500 ms); the same figures in raw SQL over the records "
        f"{dashboard_raw * 1000:.0f} ms; ratio {year_figures / dashboard_raw:.2f}; figures equal to raw SQL: "
        f"{'yes' if exact else 'NO'}; the whole page's figures with units' progress {dashboard * 1000:.0f} ms"
    )
    if not exact:
        sys.exit(1)


if __name__ == "__main__":
    main()
