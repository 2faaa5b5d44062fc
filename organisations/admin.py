from django.contrib import admin

from organisations.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "region", "parent", "annual_target", "reserved_share_percent"]
    list_filter = ["kind", "level"]
    search_fields = ["name"]
    filter_horizontal = ["paired_villages", "members"]
    raw_id_fields = ["region", "parent"]
