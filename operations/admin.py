from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from operations.models import EmailDelivery
from operations.services import email_delivery_retry


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "next_attempt_at", "short_error"]
    list_filter = ["status"]
    search_fields = ["subject", "recipients"]
    date_hierarchy = "created_at"
    fields = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Last error"))
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Try to send again now"), permissions=["view"])
    def retry_now(self, request, queryset):
        deliveries = list(queryset.exclude(status=EmailDelivery.Status.SENT))
        for delivery in deliveries:
            email_delivery_retry(delivery=delivery)
        count = len(deliveries)
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
