from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from reports.errors import DuplicateImport, NotAllowed
from reports.importing import COLUMNS, run_import, start_import, template_csv, template_xlsx
from reports.models import ImportJob, PurchaseRecord

pytestmark = pytest.mark.django_db


def good_row(n):
    return [
        "2020-03-05",
        "",
        "",
        "430822101201",
        "贫困户",
        f"农户{n}",
        "土鸡蛋",
        "肉禽蛋",
        n + 1,
        "个",
        "1.50",
        1,
        "到村到户",
        "",
    ]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for _k, h in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("采购登记.xlsx", out.getvalue())


def test_the_template_offers_every_column_with_an_example(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    sheet = load_workbook(BytesIO(template_xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == len(COLUMNS) and rows[1][3] == "430822101202"
    assert template_csv().startswith("\ufeff")


def test_a_valid_workbook_is_imported_in_full(member, unit, village):
    job = run_import(job=start_import(user=member, unit=unit, upload=xlsx([good_row(n) for n in range(30)])))
    assert job.status == ImportJob.Status.DONE and job.imported_rows == 30 and job.percent == 100
    assert PurchaseRecord.objects.filter(unit=unit, import_job=job).count() == 30
    assert PurchaseRecord.objects.get(seller_name="农户2").amount == Decimal("4.50")


def test_one_bad_row_among_many_imports_nothing_and_names_row_and_column(member, unit, village, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    rows = [good_row(n) for n in range(40)]
    rows[27][8] = "十只"
    job = run_import(job=start_import(user=member, unit=unit, upload=xlsx(rows)))
    assert job.status == ImportJob.Status.FAILED
    assert not PurchaseRecord.objects.exists()
    assert len(job.errors) == 1
    assert "29" in job.errors[0] and "数量" in job.errors[0] and "十只" in job.errors[0]


def test_the_same_file_is_refused_the_second_time(member, unit, village):
    data = xlsx([good_row(1), good_row(2)])
    run_import(job=start_import(user=member, unit=unit, upload=data))
    data.seek(0)
    with pytest.raises(DuplicateImport):
        start_import(user=member, unit=unit, upload=data)
    assert PurchaseRecord.objects.count() == 2


def test_a_csv_file_in_gb18030_is_read_and_a_wrong_village_is_reported(village_clerk, village, unit, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    header = ",".join(str(h) for _k, h in COLUMNS)
    line = f"2020-03-05,{unit.name},,430822101201,贫困户,向大爷,腊肉,肉禽蛋,2,斤,40,1,到村到户,现金"
    wrong = line.replace("430822101201", "430822999201")
    upload = SimpleUploadedFile("登记.csv", "\n".join([header, line, wrong]).encode("gb18030"))
    job = run_import(job=start_import(user=village_clerk, village=village, upload=upload))
    assert job.status == ImportJob.Status.FAILED and "第3行" in job.errors[0] and "村代码" in job.errors[0]
    ok = SimpleUploadedFile("登记2.csv", "\n".join([header, line]).encode("gb18030"))
    assert run_import(job=start_import(user=village_clerk, village=village, upload=ok)).imported_rows == 1


def test_a_member_cannot_import_for_another_unit_nor_upload_other_file_types(member, unit, village):
    from tests.factories import UnitFactory

    with pytest.raises(NotAllowed):
        start_import(user=member, unit=UnitFactory(), upload=xlsx([good_row(1)]))
    with pytest.raises(Exception, match="xlsx"):
        start_import(user=member, unit=unit, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
