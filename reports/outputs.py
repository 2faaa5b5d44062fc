"""A report as an official-looking .xlsx form and as CSV, and the e-mail that carries it upward."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports import rollup, selectors
from reports.models import ReportingOffice
from reports.templatetags.report_format import choice_label
from spreadsheets.writing import XLSX_TYPE, CsvWriter, new_workbook, workbook_bytes


def report_figures(report):
    """The snapshot taken at submission, or live figures for a draft."""
    if report.figures:
        return report.figures
    from reports.services import body_records

    return rollup.as_json(rollup.figures(body_records(report)))


MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "#,##0.###"
# Column kinds of a table: how a cell is written (number formats in the .xlsx).
TEXT, COUNT, MONEY, QUANTITY, DATE = "text", "count", "money", "quantity", "date"


@dataclass
class Table:
    title: str
    header: list
    kinds: list
    rows: list = field(default_factory=list)
    footer: list | None = None


def report_disputes(report):
    """The disputed records a report lists, and how many more there are: those frozen at its submission; a draft's
    are the body's records as they are now."""
    from reports.services import body_records, bound_records

    if report.figures and "disputes" in report.figures:
        return rollup.disputes_from_json(report.figures["disputes"]), report.figures.get("disputes_more", 0)
    # Submitted before the list was kept with the figures: the records the submission counted.
    return rollup.dispute_list(bound_records(report) if report.figures else body_records(report))


def _decimal(value):
    if value is None or value == "":
        return Decimal("0")
    return Decimal(str(value))


def _seller(row):
    return row.get("supplier__name") or row.get("seller_name") or ""


def preparer_name(user):
    return (user.get_full_name() or user.email) if user else ""


def tables(report, figures=None, disputes=None):
    """The figures of a report as the tables the page, the .xlsx and the CSV all show, in that order."""
    figures = figures if figures is not None else report_figures(report)
    if disputes is None:
        disputes, _more = report_disputes(report)
    totals = figures.get("totals", {})
    amount = _decimal(totals.get("amount"))
    result = [
        Table(
            _("Report totals"),
            [
                _("Amount (yuan)"),
                _("Records"),
                _("Participating units"),
                _("Participating helpers"),
                _("Households benefiting"),
            ],
            [MONEY, COUNT, COUNT, COUNT, COUNT],
            [
                [
                    amount,
                    totals.get("records", 0),
                    totals.get("units", 0),
                    totals.get("helpers", 0),
                    totals.get("households", 0),
                ]
            ],
        ),
        Table(
            _("Seller confirmation"),
            [_("Seller confirmation"), _("Records"), _("Amount (yuan)")],
            [TEXT, COUNT, MONEY],
            [
                [label, totals.get(f"{key}_records", ""), _decimal(totals.get(f"{key}_amount"))]
                for key, label in (
                    ("confirmed", _("Confirmed by sellers")),
                    ("unconfirmed", _("Not yet confirmed by sellers")),
                    ("disputed", _("Disputed by sellers")),
                )
            ],
            [pgettext("table footer", "Total"), totals.get("records", 0), amount],
        ),
        Table(
            _("Quantity by unit of measure"),
            [_("Unit of measure"), _("Quantity"), _("Records"), _("Amount (yuan)")],
            [TEXT, QUANTITY, COUNT, MONEY],
            [
                [
                    str(choice_label(row["unit_of_measure"], "unit_of_measure")),
                    _decimal(row["quantity"]),
                    row["records"],
                    _decimal(row["amount"]),
                ]
                for row in figures.get("quantities", [])
            ],
        ),
        Table(
            _("By category"),
            [_("No."), _("Category"), _("Records"), _("Amount (yuan)")],
            [COUNT, TEXT, COUNT, MONEY],
            [
                [index, str(choice_label(row["category"], "category")), row["records"], _decimal(row["amount"])]
                for index, row in enumerate(figures.get("categories", []), start=1)
            ],
            [pgettext("table footer", "Total"), "", totals.get("records", 0), amount],
        ),
        Table(
            _("By supplier"),
            [_("Seller"), _("Seller type"), _("Records"), _("Amount (yuan)")],
            [TEXT, TEXT, COUNT, MONEY],
            [
                [
                    row.get("supplier__name") or "—",
                    str(choice_label(row["seller_kind"], "seller_kind")),
                    row["records"],
                    _decimal(row["amount"]),
                ]
                for row in figures.get("suppliers", [])
            ],
        ),
        Table(
            _("By village"),
            [_("Village"), _("Region code"), _("Records"), _("Amount (yuan)")],
            [TEXT, TEXT, COUNT, MONEY],
            [
                [row["village__name"], row["village__code"], row["records"], _decimal(row["amount"])]
                for row in figures.get("villages", [])
            ],
        ),
        Table(
            _("By unit"),
            [_("Unit"), _("Records"), _("Amount (yuan)")],
            [TEXT, COUNT, MONEY],
            [
                [row.get("unit__name") or _("Individual helpers"), row["records"], _decimal(row["amount"])]
                for row in figures.get("units", [])
            ],
        ),
        Table(
            _("By county"),
            [_("County"), _("Records"), _("Amount (yuan)")],
            [TEXT, COUNT, MONEY],
            [[row["county_name"], row["records"], _decimal(row["amount"])] for row in figures.get("counties", [])],
        ),
        Table(
            _("Disputed records"),
            [
                _("Purchase date"),
                _("Seller"),
                _("Product"),
                _("Quantity"),
                _("Unit of measure"),
                _("Amount (yuan)"),
                _("Why the seller disputes it"),
            ],
            [DATE, TEXT, TEXT, QUANTITY, TEXT, MONEY, TEXT],
            [
                [
                    row["purchased_on"],
                    _seller(row),
                    row["product_name"],
                    _decimal(row["quantity"]),
                    str(choice_label(row["unit_of_measure"], "unit_of_measure")),
                    _decimal(row["amount"]),
                    row["dispute_reason"],
                ]
                for row in disputes
            ],
        ),
    ]
    return result


def title(report):
    return _("Consumption poverty-alleviation half-month report")


def period_text(report):
    return f"{report.period} ({report.period_start:%Y-%m-%d} — {report.period_end:%Y-%m-%d})"


def heading_rows(report):
    """The lines under the title: who reports, for which period, and where the report stands."""
    rows = [[_("Reporting body"), str(report.body), "", _("Period"), period_text(report)]]
    status = [_("Review status"), str(report.get_status_display())]
    if report.amends_id:
        status += ["", _("Amends report no."), report.amends_id]
    rows.append(status)
    return rows


def signature_rows(report):
    """The lines an official form ends with: the body's seal, who is responsible, who filled it in, who reviewed."""
    when = report.submitted_at or timezone.now()
    preparer = report.prepared_by
    return [
        [_("Reporting body (seal)"), str(report.body), "", _("Person in charge"), ""],
        [_("Prepared by"), preparer_name(preparer), "", _("Telephone"), preparer.phone if preparer else ""],
        [_("Reviewed by"), preparer_name(report.reviewed_by), "", _("Date"), f"{timezone.localtime(when):%Y-%m-%d}"],
    ]


FORM_COLUMNS = 7
COLUMN_WIDTHS = (22, 24, 18, 16, 18, 18, 36)


def report_xlsx(report):
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Half-month report")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    last_column = get_column_letter(FORM_COLUMNS)
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A1"] = title(report)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    row = 2
    for line in heading_rows(report):
        for col, value in enumerate(line, start=1):
            sheet.cell(row=row, column=col, value=value)
        sheet.cell(row=row, column=1).font = bold
        row += 1
    for table in tables(report):
        row += 1
        sheet.cell(row=row, column=1, value=table.title).font = Font(size=12, bold=True)
        row += 1
        for col, value in enumerate(table.header, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font = bold
            cell.border = border
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        body = table.rows + ([table.footer] if table.footer else [])
        if not body:
            row += 1
            sheet.cell(row=row, column=1, value=_("None")).border = border
        for line in body:
            row += 1
            for col, (value, kind) in enumerate(zip(line, table.kinds, strict=True), start=1):
                cell = sheet.cell(row=row, column=col, value=value)
                cell.border = border
                if kind == MONEY:
                    cell.number_format = MONEY_FORMAT
                elif kind == QUANTITY:
                    cell.number_format = QUANTITY_FORMAT
                elif kind == DATE:
                    cell.number_format = "yyyy-mm-dd"
                if line is table.footer:
                    cell.font = bold
        row += 1
    if report.review_comment:
        row += 1
        sheet.cell(row=row, column=1, value=_("Reviewer's comment")).font = bold
        sheet.cell(row=row, column=2, value=report.review_comment)
    row += 1
    for line in signature_rows(report):
        row += 1
        for col, value in enumerate(line, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            if col in (1, 4):
                cell.font = bold
        for col in (2, 5):
            sheet.cell(row=row, column=col).border = Border(bottom=thin)
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.print_title_rows = "1:3"
    sheet.print_area = f"A1:{last_column}{row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    return workbook_bytes(book)


def _csv_cell(value, kind):
    if kind == QUANTITY and isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if kind == MONEY and isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _csv_rows(table):
    lines = table.rows + ([table.footer] if table.footer else [])
    return [[_csv_cell(value, kind) for value, kind in zip(line, table.kinds, strict=True)] for line in lines]


def report_csv(report):
    writer = CsvWriter()
    writer.writerow([title(report)])
    writer.writerows(heading_rows(report))
    for table in tables(report):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(_csv_rows(table))
    if report.review_comment:
        writer.writerow([])
        writer.writerow([_("Reviewer's comment"), report.review_comment])
    writer.writerow([])
    writer.writerows(signature_rows(report))
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
