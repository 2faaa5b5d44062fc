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
