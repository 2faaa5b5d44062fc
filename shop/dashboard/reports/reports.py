from oscar.apps.dashboard.reports.reports import *  # noqa: F403
from oscar.apps.dashboard.reports.reports import ReportCSVFormatter as OscarReportCSVFormatter

from spreadsheets.writing import CsvWriter


class ReportCSVFormatter(OscarReportCSVFormatter):
    # Every statistics download (orders, products, users, baskets, offers, vouchers) writes through this writer, so a
    # voucher name or a buyer's e-mail typed as "=..." stays text in the spreadsheet.
    def get_csv_writer(self, file_handle, **kwargs):
        return CsvWriter(stream=file_handle)
