"""Invoices (发票) for orders: the buyer's request (a person's or a company's title) and each supplier's invoice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workflow import IllegalStatusChange, StatusChangeRecord, StatusMachine
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("Requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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

    request = models.ForeignKey(
        InvoiceRequest, verbose_name=_("Invoice request"), on_delete=models.CASCADE, related_name="invoices"
    )
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


class InvoiceStatusChange(StatusChangeRecord):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("Invoice"), on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(_("From"), max_length=16, choices=InvoiceStatus.choices)
    new_status = models.CharField(_("To"), max_length=16, choices=InvoiceStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Invoice status change")
        verbose_name_plural = _("Invoice status changes")

    def __str__(self):
        return f"{self.invoice} {self.get_old_status_display()} → {self.get_new_status_display()}"


def acceptance_file_name(instance, filename):
    return random_name("unit-orders", filename)


class UnitOrderStatus(models.TextChoices):
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, awaiting the invoice")
    INVOICED = "invoiced", _("Invoiced, awaiting payment")
    PAYMENT_SUBMITTED = "payment_submitted", _("Paid, awaiting confirmation")
    SETTLED = "settled", _("Settled")


class IllegalUnitOrderChange(IllegalStatusChange):
    """A unit order move the transitions table does not allow."""


class UnitOrder(StatusMachine, models.Model):
    """A unit's order after delivery, as 832 runs it: accepted (验收), invoiced against the accepted amount, paid by
    transfer with the payment voucher (支付凭证), and settled when the payment is confirmed."""

    TRANSITIONS = {
        UnitOrderStatus.AWAITING_ACCEPTANCE: (UnitOrderStatus.ACCEPTED,),
        UnitOrderStatus.ACCEPTED: (UnitOrderStatus.INVOICED,),
        UnitOrderStatus.INVOICED: (UnitOrderStatus.PAYMENT_SUBMITTED,),
        UnitOrderStatus.PAYMENT_SUBMITTED: (UnitOrderStatus.SETTLED,),
        UnitOrderStatus.SETTLED: (),
    }
    illegal_status_change = IllegalUnitOrderChange
    illegal_status_change_message = _("A unit order that is “%(old)s” cannot become “%(new)s”.")

    order = models.OneToOneField(
        "order.Order", verbose_name=_("Order"), on_delete=models.PROTECT, related_name="unit_progress"
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="accepted_orders"
    )
    status = models.CharField(
        _("Status"), max_length=24, choices=UnitOrderStatus.choices, default=UnitOrderStatus.AWAITING_ACCEPTANCE
    )
    opened_at = models.DateTimeField(_("Delivered at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("Accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acceptance_note = models.TextField(_("Acceptance note"), blank=True)
    acceptance_photo = models.FileField(
        _("Acceptance photo"), storage=private_storage, upload_to=acceptance_file_name, max_length=200, blank=True
    )
    acceptance_photo_name = models.CharField(_("Acceptance photo file name"), max_length=255, blank=True)
    accepted_amount = models.DecimalField(_("Accepted amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    payment_due_on = models.DateField(_("Payment due on"), null=True, blank=True, db_index=True)
    voucher = models.FileField(
        _("Payment voucher"), storage=private_storage, upload_to=acceptance_file_name, max_length=200, blank=True
    )
    voucher_name = models.CharField(_("Payment voucher file name"), max_length=255, blank=True)
    voucher_uploaded_at = models.DateTimeField(_("Voucher uploaded at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("Settled at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("Overdue notice sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("Unit order")
        verbose_name_plural = _("Unit orders")

    def __str__(self):
        return f"{self.order.number} · {self.unit}"

    def record_status_change(self, *, old, new, by, reason):
        UnitOrderStatusChange.objects.create(
            unit_order=self, old_status=old, new_status=new, changed_by=by, reason=reason
        )


class AcceptedLine(models.Model):
    unit_order = models.ForeignKey(
        UnitOrder, verbose_name=_("Unit order"), on_delete=models.CASCADE, related_name="accepted_lines"
    )
    line = models.ForeignKey("order.Line", verbose_name=_("Line"), on_delete=models.PROTECT, related_name="+")
    quantity_received = models.PositiveIntegerField(_("Quantity received"))
    amount = models.DecimalField(_("Accepted amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["unit_order", "line"], name="one_acceptance_per_line")]
        verbose_name = _("Accepted line")
        verbose_name_plural = _("Accepted lines")

    def __str__(self):
        return f"{self.line} × {self.quantity_received}"


class UnitOrderStatusChange(StatusChangeRecord):
    unit_order = models.ForeignKey(
        UnitOrder, verbose_name=_("Unit order"), on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(_("From"), max_length=24, choices=UnitOrderStatus.choices)
    new_status = models.CharField(_("To"), max_length=24, choices=UnitOrderStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Unit order status change")
        verbose_name_plural = _("Unit order status changes")

    def __str__(self):
        return f"{self.unit_order} {self.get_old_status_display()} → {self.get_new_status_display()}"
