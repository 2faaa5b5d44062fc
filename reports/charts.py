"""The office dashboard's charts as figures: what each chart draws, the table beside it and its .xlsx download all
come from the same rows, so the three always agree."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.styles import Font

from reports.models import Category
from reports.outputs import MONEY_FORMAT
from spreadsheets.writing import new_workbook, workbook_bytes

# Okabe and Ito's palette: told apart with the common colour-vision deficiencies and in grey print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BAR_COLOUR = PALETTE[0]
ZERO = Decimal("0.00")

# key → (title, what a row is, kind of chart)
CHARTS = {
    "periods": (gettext_lazy("Sales per half-month"), gettext_lazy("Half-month"), "bar"),
    "counties": (gettext_lazy("By county"), gettext_lazy("County"), "bar"),
    "categories": (gettext_lazy("By category"), gettext_lazy("Category"), "doughnut"),
    "units": (gettext_lazy("By unit (top 20)"), gettext_lazy("Unit"), "bar"),
}


@dataclass(frozen=True)
class ChartRow:
    label: str
    amount: Decimal
    share: Decimal | None
    """Percent of the chart's total, one decimal, rounded half up (None when the total is zero)."""
    colour: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_heading: str
    kind: str
    rows: list[ChartRow]

    @property
    def total(self):
        return sum((row.amount for row in self.rows), ZERO)

    def data(self):
        """What the page's script draws."""
        return {
            "kind": self.kind,
            "series": _("Amount (yuan)"),
            "labels": [row.label for row in self.rows],
            "values": [str(row.amount) for row in self.rows],
            "colours": [row.colour for row in self.rows],
        }


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _chart(key, pairs):
    title, label_heading, kind = CHARTS[key]
    total = sum((amount for _label, amount in pairs), ZERO)
    rows = [
        ChartRow(
            label=label,
            amount=amount,
            share=percent(amount, total),
            # A doughnut's slices each get their own colour, matched by the legend and the table's swatches.
            colour=PALETTE[index % len(PALETTE)] if kind == "doughnut" else BAR_COLOUR,
        )
        for index, (label, amount) in enumerate(pairs)
    ]
    return Chart(key=key, title=str(title), label_heading=str(label_heading), kind=kind, rows=rows)


def office_charts(figures):
    """The dashboard's four charts from `selectors.dashboard_figures`, in the page's order."""
    categories = dict(Category.choices)
    return [
        _chart("periods", [(p["label"], p["amount"]) for p in figures["periods"]]),
        _chart("counties", [(c["county_name"], c["amount"]) for c in figures["counties"]]),
        _chart(
            "categories",
            [(str(categories.get(c["category"], c["category"])), c["amount"]) for c in figures["categories"]],
        ),
        _chart("units", [(u["unit__name"] or "—", u["amount"]) for u in figures["units"]]),
    ]


def chart_xlsx(chart, *, region, year):
    """The figures of one chart as a workbook: a title, the column headings, a row per bar or slice, the total."""
    book = new_workbook()
    sheet = book.active
    sheet.title = chart.title[:31]
    sheet.append([_("%(region)s, %(year)s: %(chart)s") % {"region": region, "year": year, "chart": chart.title}])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([chart.label_heading, _("Amount (yuan)"), _("Share (%)")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in chart.rows:
        sheet.append([row.label, row.amount, row.share])
    sheet.append([pgettext("chart", "Total"), chart.total, Decimal("100.0") if chart.total else None])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for (amount,) in sheet.iter_rows(min_row=3, min_col=2, max_col=2):
        amount.number_format = MONEY_FORMAT
    for (share,) in sheet.iter_rows(min_row=3, min_col=3, max_col=3):
        share.number_format = "0.0"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 10
    sheet.print_title_rows = "1:2"
    return workbook_bytes(book)
