"""Invoices (发票) for orders: the buyer's request (a person's or a company's title) and each supplier's invoice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workflow import IllegalStatusChange, StatusMachine
from suppliers.private_files import private_storage, random_name


def invoice_file_name(instance, filename):
    return random_name("invoices", filename)


class TitleKind(models.TextChoices):
    PERSON = "person", _("Individual")
    COMPANY = "company", _("Company or organisation")


class InvoiceRequest(models.Model):
    """What the buyer asked to be written on the invoices of one order."""

    order = models.OneToOneField(
        "order.Order", verbose_name=_("Order"), on_delete=models.PROTECT, related_name="invoice_request"
    )
    title_kind = models.CharField(_("Invoice for"), max_length=16, choices=TitleKind.choices)
    title = models.CharField(_("Invoice title (发票抬头)"), max_length=128)
    tax_number = models.CharField(_("Taxpayer identification number"), max_length=20, blank=True)
    email = models.EmailField(_("E-mail for the invoice"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("Requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("Invoice request")
        verbose_name_plural = _("Invoice requests")

    def __str__(self):
        return f"{self.order.number} · {self.title}"


class InvoiceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued (PDF)")
    SENT = "sent", _("Sent")


class IllegalInvoiceChange(IllegalStatusChange):
    """An invoice move the transitions table does not allow (an issued or sent invoice is final)."""


class Invoice(StatusMachine, models.Model):
    """One supplier's invoice for its part of an order (its lines and its shipping)."""

    TRANSITIONS = {
        InvoiceStatus.REQUESTED: (InvoiceStatus.ISSUED, InvoiceStatus.SENT),
        InvoiceStatus.ISSUED: (),
        InvoiceStatus.SENT: (),
    }
    illegal_status_change = IllegalInvoiceChange
    illegal_status_change_message = _("An invoice that is “%(old)s” cannot become “%(new)s”.")

    request = models.ForeignKey(InvoiceRequest, on_delete=models.CASCADE, related_name="invoices")
    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("Status"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.REQUESTED
    )
    number = models.CharField(_("Invoice number"), max_length=32, blank=True)
    issued_on = models.DateField(_("Issued on"), null=True, blank=True)
    file = models.FileField(
        _("Invoice PDF"), storage=private_storage, upload_to=invoice_file_name, max_length=200, blank=True
    )
    file_name = models.CharField(_("Invoice file name"), max_length=255, blank=True)
    sent_note = models.CharField(_("How it was sent"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        ordering = ["-request__requested_at", "pk"]
        verbose_name = _("Invoice")
        verbose_name_plural = _("Invoices")
        constraints = [models.UniqueConstraint(fields=["request", "partner"], name="one_invoice_per_supplier")]
        permissions = [
            ("issue_own_invoices", "Upload or send the invoices of one's own supplier"),
            ("issue_all_invoices", "Upload or send any invoice on the platform's behalf"),
        ]

    def __str__(self):
        return f"{self.request.order.number} · {self.partner}"

    def record_status_change(self, *, old, new, by, reason):
        InvoiceStatusChange.objects.create(invoice=self, old_status=old, new_status=new, changed_by=by, reason=reason)


class InvoiceStatusChange(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(_("From"), max_length=16, choices=InvoiceStatus.choices)
    new_status = models.CharField(_("To"), max_length=16, choices=InvoiceStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(_("Changed at"), default=timezone.now)
    reason = models.TextField(_("Reason"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Invoice status change")
        verbose_name_plural = _("Invoice status changes")

    def __str__(self):
        return f"{self.invoice} {self.old_status} → {self.new_status}"
