"""A statement as the supplier downloads it (.xlsx, through spreadsheets.writing)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from settlement.selectors import statement_entries
from spreadsheets.writing import new_workbook, workbook_bytes

MONEY_FORMAT = "#,##0.00"


def file_name(statement):
    return f"statement-{statement.partner_id}-{statement.period_start:%Y%m%d}.xlsx"


def summary_rows(statement):
    return [
        (_("Opening balance"), statement.opening_balance),
        (_("Goods"), statement.goods_amount),
        (_("Shipping"), statement.shipping_amount),
        (_("Refunds"), -statement.refunds_amount),
        (_("Platform fee"), -statement.fee_amount),
        (_("Payable"), statement.payable_amount),
        (_("Closing balance"), statement.closing_balance),
    ]


def statement_xlsx(statement):
    book = new_workbook()
    sheet = book.active
    sheet.title = _("Statement")
    bold = Font(bold=True)
    sheet.append([_("Settlement statement")])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([_("Supplier"), statement.partner.name])
    sheet.append([_("Period"), f"{statement.period_start:%Y-%m-%d} – {statement.period_end:%Y-%m-%d}"])
    sheet.append([_("Status"), statement.get_status_display()])
    if statement.paid_on:
        sheet.append([_("Paid on"), statement.paid_on, _("Bank reference"), statement.bank_reference])
    sheet.append([])
    for label, amount in summary_rows(statement):
        sheet.append([label, amount])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.cell(row=sheet.max_row, column=2).number_format = MONEY_FORMAT
    sheet.append([])
    header = [_("Date"), _("Order number"), _("Kind"), _("Item"), _("Quantity"), _("Amount"), _("Bank reference")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for entry in statement_entries(statement):
        sheet.append(
            [
                timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M"),
                entry.order.number,
                entry.get_kind_display(),
                entry.line.title if entry.line_id else "",
                entry.line.quantity if entry.line_id else None,
                entry.amount,
                entry.refund.bank_reference if entry.refund_id else "",
            ]
        )
        sheet.cell(row=sheet.max_row, column=6).number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFG", (18, 22, 10, 36, 10, 14, 24), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(book)
