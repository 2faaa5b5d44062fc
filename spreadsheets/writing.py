"""The one way the site writes CSV and .xlsx: text that a spreadsheet program would run as a formula is defused.

A supplier name, a return comment or a clerk's name is typed by someone else than the person who opens the file;
one that starts with "=", "+", "-" or "@" (or a tab or carriage return before them) would be a live formula in Excel
or WPS. As OWASP recommends, such text gets a leading single quote; numbers, dates and decimals stay what they are.
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Lets Excel open the Chinese text of a CSV as UTF-8.
BYTE_ORDER_MARK = "\ufeff"


def neutralise(value):
    """A cell value that no spreadsheet program evaluates: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row):
    return [neutralise(value) for value in row]


def csv_text(value):
    """What the CSV cell holds: numbers as they are, dates in ISO form, anything else (a product, a lazy
    translation) as its text, so that `neutralise` sees the text that is written."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class CsvWriter:
    """csv.writer whose every cell goes through `neutralise`, into `stream` (a response, say) or a buffer whose
    `text()` is the file; either starts with the byte-order mark."""

    def __init__(self, stream=None):
        self.buffer = io.StringIO() if stream is None else stream
        self.buffer.write(BYTE_ORDER_MARK)
        self.writer = csv.writer(self.buffer)

    def writerow(self, row):
        self.writer.writerow(neutralise_row(csv_text(value) for value in row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    def text(self):
        return self.buffer.getvalue()


def write_only_row(sheet, row, font=None):
    """Cells for `sheet.append` in a write-only workbook, neutralised, optionally in one font."""
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def new_workbook(*, write_only=False):
    return Workbook(write_only=write_only)


def workbook_bytes(book):
    """The saved .xlsx. Every text cell of a normal workbook is neutralised here, however it was written; a
    write-only workbook cannot be read back, so its rows must come from `write_only_row`."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                        cell.value = neutralise(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
