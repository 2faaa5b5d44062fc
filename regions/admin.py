from django.contrib import admin

from regions.models import Region
from regions.selectors import forget_cached_children


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_cached_children()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_cached_children()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_cached_children()
