from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.Model):
    """A gateway event, stored once by its id so that a repeated delivery changes nothing."""

    event_id = models.CharField(_("Event id"), max_length=255, unique=True)
    event_type = models.CharField(_("Event type"), max_length=64)
    received_at = models.DateTimeField(_("Received at"), auto_now_add=True)
    payload = models.JSONField(_("Payload"))
    outcome = models.CharField(_("Outcome"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Webhook event")
        verbose_name_plural = _("Webhook events")

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class Refund(models.Model):
    """Money going back to a buyer: asked of the gateway (its webhook confirms it), or returned by bank transfer and
    recorded by the operator with the transfer's bank reference (confirmed at once)."""

    REQUESTED, SUCCEEDED, FAILED = "requested", "succeeded", "failed"
    STATUS_CHOICES = [(REQUESTED, _("Requested")), (SUCCEEDED, _("Refunded")), (FAILED, _("Failed"))]

    order = models.ForeignKey("order.Order", verbose_name=_("Order"), on_delete=models.PROTECT, related_name="refunds")
    line = models.ForeignKey(
        "order.Line", verbose_name=_("Line"), null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("Reason"), max_length=255, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=STATUS_CHOICES, default=REQUESTED)
    gateway_reference = models.CharField(_("Gateway reference"), max_length=255, unique=True, null=True, blank=True)
    bank_reference = models.CharField(_("Bank reference"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("Refund")
        verbose_name_plural = _("Refunds")

    def __str__(self):
        return f"{self.order.number} ¥{self.amount}"

    @property
    def by_transfer(self):
        # Refunds recorded before the field existed have their reference in `reason` only; their order tells how.
        return bool(self.bank_reference) or self.order.payment_method != "stripe"

    @property
    def method_label(self):
        return _("Bank transfer") if self.by_transfer else _("Online payment")


from oscar.apps.payment.models import *  # noqa: E402,F403
