"""Import speed of a 100,000-row purchase-record workbook: time, rows per second and peak memory.

Builds a fresh database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL is set), writes an .xlsx of
--rows distinct valid rows as clerks keep them (a title row above the header, the columns in their own order under
common header names, dates written in the usual Chinese forms, the sheet's size declared as Excel declares it), and runs the import exactly as the upload page does
(start_import, then run_import: the header located, every row held to the record form's fields and the model's rules,
repeated rows looked for among the file and the records already registered, one transaction, bulk insert in batches).

Prints the import's time and the process's peak resident memory (resource.getrusage), beside a baseline measured in the
same run on the same rows: a plain bulk_create of ready-made records (rolled back). Targets: under 60 s and 500 MB.

    .venv/bin/python bench/import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import.py
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["序号", "购买日期", "村代码", "销售方类型", "销售方", "产品名称", "类别", "数量", "计量单位", "单价(元)"]
HEADER += ["金额", "受益户数", "采购渠道", "支付方式"]
FIRST_DAY = date(2020, 3, 1)


def fresh_database(workdir):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    from bench.common import fresh_postgres_database

    return fresh_postgres_database("xfbsc_bench_import")


def row_values(n):
    """The n-th row's values: every row a different purchase (seller and day vary)."""
    day = FIRST_DAY + timedelta(days=n % 300)
    quantity = Decimal(1 + n % 40)
    price = Decimal("75.50")
    return day, f"农户{n // 300}", quantity, price


def written_date(day, n):
    return [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day][n % 4]


def workbook(rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["2020年消费扶贫采购登记表"])
    sheet.append(HEADER)
    for n in range(rows):
        day, seller, quantity, price = row_values(n)
        amount = (quantity * price).quantize(Decimal("0.01"))
        sheet.append(
            [n + 1, written_date(day, n), "430822101201", "贫困户", seller, "土鸡", "肉禽蛋", int(quantity), "只"]
            + [float(price), float(amount), n % 3, "到村到户", "现金"]
        )
    out = io.BytesIO()
    book.save(out)
    return with_dimension(out.getvalue(), rows + 2, len(HEADER))


def with_dimension(data, rows, columns):
    """The workbook with the sheet's <dimension> that Excel and WPS always write and openpyxl's write-only mode
    leaves out; without it openpyxl reads the whole sheet once more, only to learn its size, each time it opens it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                last = f"{chr(ord('A') + columns - 1)}{rows}"
                content = content.replace(b"</sheetPr>", f'</sheetPr><dimension ref="A1:{last}" />'.encode(), 1)
            target.writestr(member, content)
    return out.getvalue()


def baseline(rows, unit, village, user):
    """A plain bulk_create of the same rows as ready-made records, in batches, rolled back."""
    from django.conf import settings
    from django.db import transaction

    from reports.models import PurchaseRecord

    started = time.perf_counter()
    with transaction.atomic():
        records = []
        for n in range(rows):
            day, seller, quantity, price = row_values(n)
            records.append(
                PurchaseRecord(
                    unit=unit,
                    village=village,
                    seller_kind="household",
                    seller_name=seller,
                    product_name="土鸡",
                    category="meat",
                    quantity=quantity,
                    unit_of_measure="animal",
                    unit_price=price,
                    amount=quantity * price,
                    households_benefiting=n % 3,
                    purchased_on=day,
                    channel="village",
                    payment_method="cash",
                    source="import",
                    registered_by=user,
                )
            )
        PurchaseRecord.objects.bulk_create(records, batch_size=settings.REPORT_IMPORT_BATCH_SIZE)
        transaction.set_rollback(True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="use the empty database of DATABASE_URL as it is")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    if not args.reuse:
        os.environ["DATABASE_URL"] = fresh_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(workdir / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from accounts.models import User
    from organisations.models import Unit
    from regions.models import Region
    from reports.importing import run_import, start_import
    from reports.models import PurchaseRecord

    translation.activate("zh-hans")
    province = Region.objects.create(code="430000000000", name="湖南省", level="province")
    city = Region.objects.create(code="430800000000", name="张家界市", level="city", parent=province)
    county = Region.objects.create(code="430822000000", name="桑植县", level="county", parent=city)
    township = Region.objects.create(code="430822101000", name="瑞塔铺镇", level="township", parent=county)
    village = Region.objects.create(code="430822101201", name="合群村", level="village", parent=township)
    unit = Unit.objects.create(name="后盾单位", kind="agency", level="city", region=city)
    unit.paired_villages.add(village)
    user = User.objects.create(email="unit@bench.cn")
    user.groups.add(Group.objects.get_or_create(name="unit")[0])
    unit.members.add(user)
    data = workbook(args.rows)
    print(f"workbook: {args.rows:,} rows, {len(data) / 2**20:.1f} MB, on {django.db.connection.vendor}")

    started = time.perf_counter()
    job = start_import(user=user, unit=unit, upload=SimpleUploadedFile("bench.xlsx", data))
    job = run_import(job=job)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert job.status == "done", (job.status, job.errors[:5], job.duplicates[:5])
    assert PurchaseRecord.objects.count() == args.rows
    plain = baseline(args.rows, unit, village, user)
    print(f"import: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s (target < 60 s)")
    print(
        f"baseline, bulk_create of the same rows ready-made: {plain:.1f} s; import / baseline ratio {seconds / plain:.1f}"
    )
    print(f"peak resident memory of the process during the import {rss:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
