from django.contrib import admin
from oscar.apps.payment.admin import *  # noqa: F403
from oscar.core.loading import get_model

WebhookEvent = get_model("payment", "WebhookEvent")
Refund = get_model("payment", "Refund")


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "outcome", "received_at"]
    list_filter = ["event_type", "outcome"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "event_type", "outcome", "received_at", "payload"]


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["order", "line", "amount", "status", "gateway_reference", "requested_at", "confirmed_at"]
    list_filter = ["status"]
    raw_id_fields = ["order", "line", "requested_by"]
