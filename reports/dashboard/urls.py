from django.urls import path, register_converter

from reports.dashboard import views
from spreadsheets.urls import SpreadsheetFormat


class ReportAction:
    # Only the moves a report has; anything else (download.html/ after APPEND_SLASH among them) is not found.
    regex = "submit|approve|return|amend"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class OfficeChart:
    regex = "periods|counties|categories|units"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "spreadsheet")
register_converter(OfficeChart, "office_chart")
register_converter(ReportAction, "report_action")

app_name = "reports-dashboard"

urlpatterns = [
    path("office/", views.office_dashboard, name="office"),
    path("office/chart-<office_chart:chart>.xlsx", views.office_chart_download, name="office-chart"),
    path("records/", views.record_list, name="record-list"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/confirm/", views.record_confirm, name="record-confirm"),
    path("records/<int:pk>/edit/", views.record_edit, name="record-edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="record-delete"),
    path("records/<int:pk>/receipt/", views.record_receipt, name="record-receipt"),
    path("imports/", views.import_upload, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/file/", views.import_file, name="import-file"),
    path("imports/<int:pk>/decide/", views.import_decide, name="import-decide"),
    path("imports/template.<spreadsheet:extension>", views.import_template, name="import-template"),
    path("half-month/", views.report_list, name="report-list"),
    path("half-month/start/", views.report_start, name="report-start"),
    path("half-month/status/", views.report_status, name="report-status"),
    path("half-month/status/remind/", views.report_remind, name="report-remind"),
    path("units/<int:pk>/progress/", views.unit_progress, name="unit-progress"),
    path("half-month/<int:pk>/", views.report_detail, name="report-detail"),
    path("half-month/<int:pk>/<report_action:action>/", views.report_action, name="report-action"),
    path("half-month/<int:pk>/download.<spreadsheet:extension>", views.report_download, name="report-download"),
]
