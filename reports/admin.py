from django.contrib import admin

from reports.models import HalfMonthReport, ReminderLog, ReportingOffice, ReportStatusChange


@admin.register(ReportingOffice)
class ReportingOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "email"]
    raw_id_fields = ["region"]


class StatusChangeInline(admin.TabularInline):
    model = ReportStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HalfMonthReport)
class HalfMonthReportAdmin(admin.ModelAdmin):
    """Read-only: reports move only through their review workflow."""

    list_display = ["__str__", "status", "period_start", "prepared_by", "submitted_at"]
    list_filter = ["status", "period_start"]
    inlines = [StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Read-only: a reminder is a fact of the past."""

    list_display = ["__str__", "period_start", "sent_by", "sent_at", "recipients"]
    list_filter = ["period_start"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
