from datetime import date
from decimal import Decimal

import pytest

from spreadsheets.writing import CsvWriter, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+86 744", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_could_start_a_formula_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, Decimal("-12.50"), 3.5, date(2020, 3, 1), None, "桑植白茶", "a=b"])
def test_numbers_dates_and_ordinary_text_are_left_as_they_are(value):
    assert neutralise(value) == value


def test_a_csv_starts_with_a_byte_order_mark_and_quotes_formula_cells():
    writer = CsvWriter()
    writer.writerow(['=HYPERLINK("http://evil.example","点我")', -3, date(2020, 3, 1)])
    assert writer.text() == '\ufeff"\'=HYPERLINK(""http://evil.example"",""点我"")",-3,2020-03-01\r\n'


def test_an_object_written_to_a_csv_is_neutralised_by_its_text():
    class Named:
        def __str__(self):
            return "=1+2"

    writer = CsvWriter()
    writer.writerow([Named(), Decimal("-3.50"), None])
    assert writer.text() == "\ufeff'=1+2,-3.50,\r\n"
