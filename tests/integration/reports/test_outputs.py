import csv
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from accounts import roles
from reports import services
from reports.outputs import report_csv, report_xlsx
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))
CLERK_NAME = '=HYPERLINK("https://evil.example","村登记员")'
COMMENT = "-1+2 数量有误，请核对"


@pytest.fixture
def returned_report(village, township_clerk, unit):
    clerk = UserFactory(role=roles.VILLAGE, first_name=CLERK_NAME, region=village)
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    report = services.report_for(user=clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=clerk)
    services.report_return(report=report, user=township_clerk, comment=COMMENT)
    report.refresh_from_db()
    return report


def test_no_cell_of_a_report_workbook_is_a_formula_and_numbers_stay_numbers(returned_report):
    sheet = load_workbook(BytesIO(report_xlsx(returned_report))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in cells]
    assert "'" + CLERK_NAME in values
    assert "'" + COMMENT in values
    assert any(cell.data_type == "n" and cell.value == Decimal("800.00") for cell in cells)


def test_the_clerk_name_and_return_comment_are_quoted_in_the_report_csv(returned_report):
    rows = list(csv.reader(StringIO(report_csv(returned_report).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + CLERK_NAME in cells
    assert "'" + COMMENT in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


@pytest.fixture
def submitted_report(village, village_clerk, township_clerk):
    PurchaseRecordFactory(
        village=village, purchased_on=date(2020, 3, 4), quantity=Decimal("5130.125"), unit_of_measure="斤"
    )
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 5), confirmation="disputed", dispute_reason="少")
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=village_clerk)
    services.report_approve(report=report, user=township_clerk)
    report.refresh_from_db()
    return report


def test_the_workbook_is_an_official_form_printed_on_a4_with_its_titles_repeated(settings, submitted_report):
    settings.LANGUAGE_CODE = "zh-hans"
    sheet = load_workbook(BytesIO(report_xlsx(submitted_report))).active
    assert sheet["A1"].value == "消费扶贫半月报表" and sheet["A1"].font.b
    assert sheet.print_title_rows in ("1:3", "$1:$3")
    assert sheet.page_setup.paperSize in (9, "9")
    assert sheet.page_setup.orientation == "portrait"
    assert int(sheet.page_setup.fitToWidth) == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert all(sheet.column_dimensions[letter].width >= 14 for letter in "ABCDEFG")
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    for line in ("填报单位（盖章）", "负责人", "填报人", "联系电话", "审核人", "日期"):
        assert line in texts
    reviewer = texts.index("审核人")
    assert texts[reviewer + 1] == submitted_report.reviewed_by.get_full_name()


def test_money_and_quantities_carry_number_formats_and_stay_numbers(submitted_report):
    sheet = load_workbook(BytesIO(report_xlsx(submitted_report))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    money = [cell for cell in cells if cell.number_format == "#,##0.00"]
    quantities = [cell for cell in cells if cell.number_format == "#,##0.###"]
    assert money and quantities
    assert all(cell.data_type == "n" for cell in money + quantities)
    assert any(cell.value == pytest.approx(5130.125) for cell in quantities)
    assert any(cell.value == pytest.approx(411210.0) for cell in money)


def test_the_csv_has_the_confirmation_split_and_the_quantities_per_unit_of_measure(settings, submitted_report):
    settings.LANGUAGE_CODE = "zh-hans"
    rows = list(csv.reader(StringIO(report_csv(submitted_report).lstrip("\ufeff"))))
    assert ["销售方有异议", "1", "800.00"] in rows
    assert ["销售方未确认", "1", "410410.00"] in rows
    assert ["斤", "5130.125", "1", "410410.00"] in rows
    assert ["只", "10", "1", "800.00"] in rows
    assert any(row[:2] == ["填报单位（盖章）", str(submitted_report.body)] for row in rows)
