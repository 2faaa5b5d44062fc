import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook

from reports.importing import COLUMNS
from reports.models import ImportJob, PurchaseRecord

pytestmark = pytest.mark.django_db

ROW = ["2020-03-05", "", "", "430822101201", "贫困户", "农户", "鸡蛋", "肉禽蛋", 3, "个", "1.5", 1, "到村到户", ""]


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for _k, h in COLUMNS])
    for n in range(rows):
        # Different sellers: identical rows would wait for a confirmation that they are separate purchases.
        sheet.append([*ROW[:5], f"{ROW[5]}{n}", *ROW[6:]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data, name, change):
    """The same .xlsx with one member's bytes changed."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            target.writestr(member.filename, change(content) if member.filename == name else content)
    return out.getvalue()


def bomb(expanded_bytes):
    """A valid-looking .xlsx of a few hundred kilobytes whose sheet XML expands to `expanded_bytes`."""
    data = workbook(1)
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
    ):
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                z.writestr(member.filename, source.read(member))
                continue
            sheet = source.read(member)
            head, tail = sheet.split(b"<sheetData>")
            with z.open(member.filename, "w", force_zip64=True) as target:
                target.write(head + b"<sheetData>")
                padding = b" " * 2**20
                for _ in range(expanded_bytes // len(padding)):
                    target.write(padding)
                target.write(tail)
    return out.getvalue()


def upload(client, user, data, name="登记.xlsx"):
    client.force_login(user)
    file = BytesIO(data)
    file.name = name
    return client.post(reverse("reports-dashboard:import"), {"file": file}, follow=True)


def imported(client, user, data, capture, run_tasks):
    """Upload, let the worker run the import, and return the import's page as its uploader sees it."""
    with capture(execute=True):
        upload(client, user, data)
    run_tasks()
    job = ImportJob.objects.get()
    return client.get(reverse("reports-dashboard:import-detail", args=[job.pk])).content.decode()


def nothing_saved():
    return not ImportJob.objects.exists() and not PurchaseRecord.objects.exists()


def test_a_workbook_that_expands_past_the_limit_is_refused_before_it_is_parsed(client, member, unit):
    data = bomb(60 * 2**20)
    assert len(data) < 400 * 1024
    body = upload(client, member, data).content.decode()
    assert "该工作簿解压后超过 50 MB，已拒绝导入。" in body
    assert nothing_saved()


def test_the_uncompressed_limit_is_a_setting(client, member, unit, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 2 * 2**20
    body = upload(client, member, bomb(3 * 2**20)).content.decode()
    assert "该工作簿解压后超过 2 MB，已拒绝导入。" in body
    assert nothing_saved()


def test_a_workbook_with_more_rows_than_allowed_is_refused(client, member, unit, settings):
    settings.IMPORT_MAX_ROWS = 5
    body = upload(client, member, workbook(6)).content.decode()
    assert "文件超过 5 行，请拆分成较小的文件后再导入。" in body
    assert nothing_saved()


def test_a_workbook_that_understates_its_rows_is_stopped_while_streaming(
    client, member, unit, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.IMPORT_MAX_ROWS = 5
    data = rewritten(
        workbook(8),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:N2"', xml),
    )
    body = imported(client, member, data, django_capture_on_commit_callbacks, run_tasks)
    assert "文件超过 5 行，请拆分成较小的文件后再导入。" in body
    assert not PurchaseRecord.objects.exists()


def test_a_workbook_at_the_row_limit_is_imported(
    client, member, unit, settings, django_capture_on_commit_callbacks, run_tasks
):
    settings.IMPORT_MAX_ROWS = 5
    imported(client, member, workbook(5), django_capture_on_commit_callbacks, run_tasks)
    assert PurchaseRecord.objects.count() == 5


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7 not a workbook", b"PK\x03\x04 broken zip", b"", "日期,单位\n".encode() * 3], ids=repr
)
def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(client, member, unit, data):
    body = upload(client, member, data or b" ").content.decode()
    # Refused for what it is: not a readable file of an accepted type, or a CSV named as a workbook.
    assert ("该文件不是可读取的" in body and "未予接收" in body) or "文件名须以 .csv 结尾" in body
    assert nothing_saved()
