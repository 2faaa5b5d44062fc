from django.contrib import admin

from procurement.models import Bulletin, FilingChange, GiftVoucher, ShareFiling, VoucherBatch


class FilingChangeInline(admin.TabularInline):
    model = FilingChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason", "figures"]


@admin.register(ShareFiling)
class ShareFilingAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "canteen", "canteen_budget", "share_percent", "status"]
    list_filter = ["year", "canteen", "status"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "contractor", "filed_by", "confirmed_by"]
    filter_horizontal = ["shared_with"]
    inlines = [FilingChangeInline]
    # Statuses move only through the services, which log each step.
    readonly_fields = ["status", "confirmed_by", "confirmed_at"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["office", "period_start", "status", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["contents", "status", "sent_at", "sent_by"]


class GiftVoucherInline(admin.TabularInline):
    model = GiftVoucher
    extra = 0
    can_delete = False
    readonly_fields = ["code", "redeemed_at", "redeemed_by", "product", "record"]


@admin.register(VoucherBatch)
class VoucherBatchAdmin(admin.ModelAdmin):
    list_display = ["unit", "count", "value", "note", "created_at"]
    raw_id_fields = ["unit", "bought_by"]
    inlines = [GiftVoucherInline]
