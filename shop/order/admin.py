from django.contrib import admin
from oscar.apps.order.admin import *  # noqa: F403
from oscar.core.loading import get_model

Shipment = get_model("order", "Shipment")


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["order", "partner", "shipping_charge", "carrier", "tracking_number", "shipped_at", "delivered_at"]
    raw_id_fields = ["order", "partner", "updated_by"]
    search_fields = ["order__number", "tracking_number"]
