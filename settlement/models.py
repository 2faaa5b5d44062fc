"""What the platform owes each supplier: an append-only ledger and the half-month statements (对账单) drawn from it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import Refusal
from accounts.workflow import IllegalStatusChange, StatusChangeRecord, StatusMachine


class LedgerEntryKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SHIPPING = "shipping", _("Shipping")
    REFUND = "refund", _("Refund")


class LedgerIsAppendOnly(Refusal):
    """A ledger entry is never changed or removed; a correction is a new entry."""


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly(_("Ledger entries cannot be changed."))

    def delete(self):
        raise LedgerIsAppendOnly(_("Ledger entries cannot be deleted."))


class LedgerEntry(models.Model):
    """One credit (a paid or received line, a supplier's shipping charge) or debit (a confirmed refund).

    `source` names what caused the entry ("line:12", "shipping:3", "refund:7:4"); it is unique, so posting the same
    event twice adds nothing. Credits are positive, debits negative. The database refuses UPDATE and DELETE too
    (see the migration's triggers).
    """

    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("Kind"), max_length=16, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    order = models.ForeignKey("order.Order", verbose_name=_("Order"), on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(
        "order.Line", verbose_name=_("Line"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refund = models.ForeignKey(
        "payment.Refund", verbose_name=_("Refund"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("Source"), max_length=64, unique=True)
    occurred_at = models.DateTimeField(_("Date"), db_index=True)
    posted_at = models.DateTimeField(_("Posted at"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("Ledger entry")
        verbose_name_plural = _("Ledger entries")
        indexes = [models.Index(fields=["partner", "occurred_at"])]

    def __str__(self):
        return f"{self.source} ¥{self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LedgerIsAppendOnly(_("Ledger entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly(_("Ledger entries cannot be deleted."))


class StatementStatus(models.TextChoices):
    READY = "ready", _("To be paid")
    PAID = "paid", _("Paid")


class IllegalStatementChange(IllegalStatusChange):
    """A statement move the transitions table does not allow (a paid statement is final)."""


class Statement(StatusMachine, models.Model):
    """A supplier's half-month statement (对账单), drawn from the ledger entries dated in its period.

    The balance carried from one statement to the next is what could not be paid: a period whose refunds exceed its
    sales leaves a negative closing balance that the next period's payable absorbs.
    """

    TRANSITIONS = {StatementStatus.READY: (StatementStatus.PAID,), StatementStatus.PAID: ()}
    illegal_status_change = IllegalStatementChange
    illegal_status_change_message = _("A statement that is “%(old)s” cannot become “%(new)s”.")

    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="statements"
    )
    period_start = models.DateField(_("Period start"))
    period_end = models.DateField(_("Period end"))
    opening_balance = models.DecimalField(_("Opening balance"), max_digits=12, decimal_places=2)
    goods_amount = models.DecimalField(_("Goods"), max_digits=12, decimal_places=2)
    shipping_amount = models.DecimalField(_("Shipping"), max_digits=12, decimal_places=2)
    refunds_amount = models.DecimalField(_("Refunds"), max_digits=12, decimal_places=2)
    fee_rate = models.DecimalField(_("Platform fee rate"), max_digits=6, decimal_places=4)
    fee_amount = models.DecimalField(_("Platform fee"), max_digits=12, decimal_places=2)
    payable_amount = models.DecimalField(_("Payable"), max_digits=12, decimal_places=2)
    closing_balance = models.DecimalField(_("Closing balance"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("Status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.READY
    )
    generated_at = models.DateTimeField(_("Generated at"), default=timezone.now)
    paid_on = models.DateField(_("Paid on"), null=True, blank=True)
    bank_reference = models.CharField(_("Bank reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "partner_id"]
        verbose_name = _("Statement")
        verbose_name_plural = _("Statements")
        constraints = [models.UniqueConstraint(fields=["partner", "period_start"], name="one_statement_per_period")]
        permissions = [
            ("view_own_statements", "See the settlement statements of one's own supplier"),
            ("pay_statements", "See every settlement statement and mark statements paid"),
        ]

    def __str__(self):
        return f"{self.partner} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def sales_amount(self):
        return self.goods_amount + self.shipping_amount

    def record_status_change(self, *, old, new, by, reason):
        StatementStatusChange.objects.create(
            statement=self, old_status=old, new_status=new, changed_by=by, reason=reason
        )


class StatementStatusChange(StatusChangeRecord):
    statement = models.ForeignKey(
        Statement, verbose_name=_("Statement"), on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(_("From"), max_length=16, choices=StatementStatus.choices)
    new_status = models.CharField(_("To"), max_length=16, choices=StatementStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Statement status change")
        verbose_name_plural = _("Statement status changes")

    def __str__(self):
        return f"{self.statement} {self.get_old_status_display()} → {self.get_new_status_display()}"
