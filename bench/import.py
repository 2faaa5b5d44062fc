"""Import speed of a 100,000-row purchase-record workbook: rows per second and peak memory (resource.getrusage).

Builds a fresh database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL is set), writes an .xlsx of
--rows valid rows in the platform's template, and runs the import exactly as the upload page does (start_import, then
run_import: every row checked, one transaction, bulk insert). Prints the time, rows per second, and the process's peak resident
memory, beside a baseline measured in the same run: reading the same
workbook with openpyxl alone. Targets: under 60 s and under 500 MB.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(workdir):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    from bench.common import fresh_postgres_database

    return fresh_postgres_database("xfbsc_bench_import")


def workbook(rows):
    from openpyxl import Workbook

    from reports.importing import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([str(header) for _key, header in COLUMNS])
    for n in range(rows):
        sheet.append(
            [
                "2020-03-05",
                "",
                "",
                "430822101201",
                "贫困户",
                f"农户{n % 500}",
                "土鸡",
                "肉禽蛋",
                1 + n % 40,
                "只",
                "75.50",
                n % 3,
                "到村到户",
                "现金",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["DATABASE_URL"] = fresh_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
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
    from openpyxl import load_workbook

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
    Region.objects.create(code="430822101201", name="合群村", level="village", parent=township)
    unit = Unit.objects.create(name="后盾单位", kind="agency", level="city", region=city)
    user = User.objects.create(email="unit@bench.cn")
    user.groups.add(Group.objects.get_or_create(name="unit")[0])
    unit.members.add(user)
    data = workbook(args.rows)
    print(f"workbook: {args.rows:,} rows, {len(data) / 2**20:.1f} MB")

    started = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True)
    sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    job = start_import(user=user, unit=unit, upload=SimpleUploadedFile("bench.xlsx", data))
    job = run_import(job=job)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert job.status == "done", job.errors[:5]
    assert PurchaseRecord.objects.count() == args.rows
    print(f"import: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s (target < 60 s)")
    print(f"reading the workbook alone: {baseline:.1f} s; import / read ratio {seconds / baseline:.1f}")
    print(f"peak resident memory of the process {rss:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
