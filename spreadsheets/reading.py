"""Reading an uploaded spreadsheet within limits: a small .xlsx can expand to hundreds of megabytes.

An .xlsx is a zip archive. The sizes its members declare are checked before anything is decompressed (Python's
zipfile never inflates a member past its declared size, so a lying header only truncates it), the sheet's declared
dimension before a row is read, and rows are counted while they stream, so memory stays bounded whatever the file.
"""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook


def not_a_workbook():
    return ValidationError(_("The file is not a readable .xlsx workbook."), code="not_a_workbook")


def too_many_rows():
    return ValidationError(
        _("The file has more than %(rows)s rows; split it into smaller files.") % {"rows": settings.IMPORT_MAX_ROWS},
        code="too_many_rows",
    )


def check_archive(data):
    """Refuse bytes that are not a zip archive, or whose members add up to more than the configured size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise not_a_workbook() from error
    limit = settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES
    if expanded > limit:
        raise ValidationError(
            _("The workbook expands to more than %(mb)s MB when opened; it is refused.") % {"mb": limit // 2**20},
            code="too_large_uncompressed",
        )


def open_xlsx(data):
    """The first sheet of a checked workbook, opened for streaming, with values rather than formulas."""
    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as error:
        # openpyxl reports a broken archive or XML through many exception types; to the uploader it is all one.
        raise not_a_workbook() from error
    return book, sheet


def declared_rows(sheet):
    """The rows the sheet says it has (its <dimension>), or None when it does not say."""
    try:
        return sheet.max_row
    except Exception:
        return None


def xlsx_row_count(data):
    """Rows under the header as the workbook declares them, after the archive and row limits are checked."""
    book, sheet = open_xlsx(data)
    try:
        rows = declared_rows(sheet)
    finally:
        book.close()
    if rows is not None and rows - 1 > settings.IMPORT_MAX_ROWS:
        raise too_many_rows()
    return max((rows or 1) - 1, 0)


def xlsx_rows(data, *, with_header=False):
    """The rows after the header (or from the first, with_header=True), as tuples, streamed; stops with an error past
    the row limit."""
    book, sheet = open_xlsx(data)
    limit = settings.IMPORT_MAX_ROWS
    try:
        rows = declared_rows(sheet)
        if rows is not None and rows - 1 > limit:
            raise too_many_rows()
        # openpyxl stops at the declared dimension; a file that understates it would otherwise lose rows unseen.
        sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        try:
            if not with_header:
                next(iterator, None)
            for number, row in enumerate(iterator, start=0 if with_header else 1):
                if number > limit:
                    raise too_many_rows()
                yield row
        except ValidationError:
            raise
        except Exception as error:
            raise not_a_workbook() from error
    finally:
        book.close()


def limited_rows(rows):
    """Any other row source (a CSV reader), stopped with an error past the row limit."""
    limit = settings.IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=1):
        if number > limit:
            raise too_many_rows()
        yield row
