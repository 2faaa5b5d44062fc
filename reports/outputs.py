"""A report as an official-looking .xlsx form and as CSV, and the e-mail that carries it upward."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, Side

from reports import rollup, selectors
from reports.models import Category, ReportingOffice
from spreadsheets.writing import XLSX_TYPE, CsvWriter, new_workbook, workbook_bytes


def report_figures(report):
    """The snapshot taken at submission, or live figures for a draft."""
    if report.figures:
        return report.figures
    from reports.services import body_records

    return rollup.as_json(rollup.figures(body_records(report)))


def table_rows(report):
    """Header and rows of the form's main table: one row per category, then a totals row."""
    figures = report_figures(report)
    header = [_("No."), _("Category"), _("Records"), _("Quantity"), _("Amount (yuan)")]
    labels = dict(Category.choices)
    rows = [
        [index, str(labels.get(row["category"], row["category"])), row["records"], row["quantity"], row["amount"]]
        for index, row in enumerate(figures.get("categories", []), start=1)
    ]
    totals = figures.get("totals", {})
    total_quantity = "; ".join(f"{q['quantity']} {q['unit_of_measure']}" for q in figures.get("quantities", []))
    footer = [_("Total"), "", totals.get("records", 0), total_quantity, totals.get("amount", "0.00")]
    return header, rows, footer, totals


def title(report):
    return _("Consumption poverty-alleviation half-month report")


def report_xlsx(report):
    header, rows, footer, totals = table_rows(report)
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Half-month report")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.merge_cells("A1:E1")
    sheet["A1"] = title(report)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"] = _("Reporting body")
    sheet["B2"] = str(report.body)
    sheet["D2"] = _("Period")
    sheet["E2"] = f"{report.period_start:%Y-%m-%d} — {report.period_end:%Y-%m-%d}"
    if report.amends_id:
        sheet["A3"] = _("Amends report no.")
        sheet["B3"] = report.amends_id
    start = 5
    for col, value in enumerate(header, start=1):
        cell = sheet.cell(row=start, column=col, value=value)
        cell.font = Font(bold=True)
        cell.border = border
    for offset, row in enumerate(rows + [footer], start=1):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=start + offset, column=col, value=_number(value))
            cell.border = border
    last = start + len(rows) + 1
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    summary = [
        (_("Participating units"), totals.get("units", 0)),
        (_("Participating helpers"), totals.get("helpers", 0)),
        (_("Households benefiting"), totals.get("households", 0)),
        (_("Confirmed by sellers (yuan)"), _number(totals.get("confirmed_amount", "0"))),
        (_("Not yet confirmed (yuan)"), _number(totals.get("unconfirmed_amount", "0"))),
        (_("Disputed by sellers (yuan)"), _number(totals.get("disputed_amount", "0"))),
    ]
    row = last + 2
    for label, value in summary:
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=3, value=value)
        row += 1
    row += 1
    preparer = report.prepared_by.get_full_name() or report.prepared_by.email if report.prepared_by else ""
    sheet.cell(row=row, column=1, value=_("Prepared by"))
    sheet.cell(row=row, column=2, value=preparer)
    sheet.cell(row=row, column=3, value=_("Date"))
    when = report.submitted_at or timezone.now()
    sheet.cell(row=row, column=4, value=f"{timezone.localtime(when):%Y-%m-%d}")
    sheet.cell(row=row + 1, column=1, value=_("Review status"))
    sheet.cell(row=row + 1, column=2, value=str(report.get_status_display()))
    if report.review_comment:
        sheet.cell(row=row + 1, column=3, value=report.review_comment)
    for letter, width in zip("ABCDE", (14, 24, 12, 28, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(book)


def _number(value):
    from decimal import Decimal, InvalidOperation

    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def report_csv(report):
    header, rows, footer, totals = table_rows(report)
    writer = CsvWriter()
    writer.writerow([title(report)])
    writer.writerow(
        [_("Reporting body"), str(report.body), _("Period"), f"{report.period_start} — {report.period_end}"]
    )
    writer.writerow(header)
    writer.writerows(rows)
    writer.writerow(footer)
    for label, key in (
        (_("Confirmed by sellers (yuan)"), "confirmed_amount"),
        (_("Not yet confirmed (yuan)"), "unconfirmed_amount"),
        (_("Disputed by sellers (yuan)"), "disputed_amount"),
    ):
        writer.writerow([label, totals.get(key, "0")])
    writer.writerow([_("Review status"), str(report.get_status_display())])
    preparer = report.prepared_by.get_full_name() or report.prepared_by.email if report.prepared_by else ""
    writer.writerow([_("Prepared by"), preparer])
    if report.review_comment:
        writer.writerow([_("Review comment"), report.review_comment])
    return writer.text()


def file_name(report, extension):
    return f"report-{report.pk}-{report.period_start:%Y%m%d}.{extension}"


def receiving_mailbox(report):
    office = selectors.reviewer_region(report)
    mailbox = ReportingOffice.objects.filter(region=office).values_list("email", flat=True).first()
    return mailbox or settings.REPORT_FALLBACK_EMAIL


def send_report_email(*, report):
    """E-mail the submitted report, as .xlsx, to the mailbox of the office that reviews it."""
    mailbox = receiving_mailbox(report)
    if not mailbox:
        return None
    message = EmailMessage(
        subject=_("Half-month report: %(body)s, %(period)s") % {"body": report.body, "period": report.period},
        body=_("%(body)s submitted its half-month report for %(period)s. The form is attached.")
        % {"body": report.body, "period": report.period},
        to=[mailbox],
    )
    message.attach(file_name(report, "xlsx"), report_xlsx(report), XLSX_TYPE)
    message.send()
    return message
