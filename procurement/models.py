from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.workflow import StatusMachine
from organisations.models import Unit
from procurement.errors import IllegalFilingChange

CENT = Decimal("0.01")


class Canteen(models.TextChoices):
    OWN = "own", _("Own canteen")
    NONE = "none", _("No canteen (无食堂)")
    SHARED = "shared", _("Canteen shared with other units (files for all)")
    CONTRACTOR = "contractor", _("Canteen run by a contractor")


# The situations in which a canteen food budget exists and a share of it is reserved.
WITH_BUDGET = (Canteen.OWN, Canteen.SHARED, Canteen.CONTRACTOR)


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the office's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the office")
    RETURNED = "returned", _("Returned by the office")


class ShareFiling(StatusMachine, models.Model):
    """A unit's reserved share (预留份额) for one budget year: its canteen situation, food budget and percentage."""

    Status = FilingStatus
    TRANSITIONS = {
        FilingStatus.SUBMITTED: {FilingStatus.CONFIRMED, FilingStatus.RETURNED},
        FilingStatus.RETURNED: {FilingStatus.SUBMITTED},
        # A change to a confirmed filing goes back to the office.
        FilingStatus.CONFIRMED: {FilingStatus.SUBMITTED},
    }
    illegal_status_change = IllegalFilingChange
    illegal_status_change_message = _("A filing that is “%(old)s” cannot become “%(new)s”.")

    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="share_filings")
    year = models.PositiveSmallIntegerField(_("Budget year"))
    canteen = models.CharField(_("Canteen"), max_length=16, choices=Canteen.choices, default=Canteen.OWN)
    canteen_budget = models.DecimalField(
        _("Canteen food budget (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    share_percent = models.DecimalField(_("Reserved share (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    shared_with = models.ManyToManyField(
        Unit,
        verbose_name=_("Units eating at this canteen"),
        blank=True,
        related_name="shared_canteen_filings",
    )
    contractor = models.ForeignKey(
        Unit,
        verbose_name=_("Contractor running the canteen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracted_canteen_filings",
    )
    note = models.TextField(_("Explanation"), blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED, db_index=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("Filed at"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        verbose_name = _("Reserved-share filing")
        verbose_name_plural = _("Reserved-share filings")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_share_filing_per_unit_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @property
    def reserved_amount(self):
        if self.canteen not in WITH_BUDGET:
            return Decimal("0.00")
        return (self.canteen_budget * self.share_percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)

    def figures(self):
        """What the filing says, as the change log keeps it."""
        return {
            "canteen": self.canteen,
            "canteen_budget": str(Decimal(self.canteen_budget).quantize(CENT)),
            "share_percent": str(Decimal(self.share_percent).quantize(CENT)),
            "contractor": self.contractor.name if self.contractor_id else "",
            "shared_with": sorted(unit.name for unit in self.shared_with.all()) if self.pk else [],
        }

    def record_status_change(self, *, old, new, by, reason):
        FilingChange.objects.create(
            filing=self, from_status=old, to_status=new, changed_by=by, reason=reason, figures=self.figures()
        )


class FilingChange(models.Model):
    """One step in a filing's history: filed, changed, confirmed or returned, by whom, when, why and with what figures."""

    filing = models.ForeignKey(
        ShareFiling, verbose_name=_("Reserved-share filing"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("From"), max_length=16, choices=FilingStatus.choices, blank=True)
    to_status = models.CharField(_("To"), max_length=16, choices=FilingStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("At"), auto_now_add=True)
    reason = models.TextField(_("Reason"), blank=True)
    figures = models.JSONField(_("Figures"), default=dict)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Filing change")
        verbose_name_plural = _("Filing changes")

    def __str__(self):
        return f"{self.filing} {self.get_from_status_display()}→{self.get_to_status_display()}"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    SENT = "sent", _("Sent")


class Bulletin(models.Model):
    """An office's half-month bulletin (通报) on its units' reserved-share execution, as generated for one period."""

    office = models.ForeignKey(
        "regions.Region", verbose_name=_("Office"), on_delete=models.PROTECT, related_name="share_bulletins"
    )
    period_start = models.DateField(_("Period from"))
    period_end = models.DateField(_("Period to"))
    generated_at = models.DateTimeField(_("Generated at"), auto_now_add=True)
    contents = models.JSONField(_("Contents"), default=dict)
    comment = models.TextField(_("Office's comment"), blank=True)
    status = models.CharField(_("Status"), max_length=8, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Sent by"), null=True, blank=True, on_delete=models.PROTECT
    )
    named_units = models.ManyToManyField(Unit, verbose_name=_("Units named"), blank=True, related_name="bulletins")

    class Meta:
        ordering = ["-period_start", "office__code"]
        verbose_name = _("Bulletin")
        verbose_name_plural = _("Bulletins")
        constraints = [models.UniqueConstraint(fields=["office", "period_start"], name="one_bulletin_per_office")]

    def __str__(self):
        return f"{self.office} {self.period_start}"

    @property
    def period(self):
        from reports.periods import period_of

        return period_of(self.period_start)


class VoucherBatch(models.Model):
    """Gift vouchers (提货券) a unit bought for its staff, each worth `value` in certified products."""

    unit = models.ForeignKey(Unit, verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="voucher_batches")
    value = models.DecimalField(_("Value of each voucher (yuan)"), max_digits=10, decimal_places=2)
    count = models.PositiveIntegerField(_("Number of vouchers"))
    note = models.CharField(_("Occasion"), max_length=128, blank=True)
    bought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Bought by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("Bought at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Gift voucher batch")
        verbose_name_plural = _("Gift voucher batches")

    def __str__(self):
        return f"{self.unit} {self.count} × ¥{self.value}"


class GiftVoucher(models.Model):
    """One single-use voucher code; redeeming it makes the purchase record that counts toward the unit's share."""

    batch = models.ForeignKey(
        VoucherBatch, verbose_name=_("Gift voucher batch"), on_delete=models.PROTECT, related_name="vouchers"
    )
    code = models.CharField(_("Code"), max_length=16, unique=True)
    redeemed_at = models.DateTimeField(_("Redeemed at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Redeemed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("Product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record = models.OneToOneField(
        "reports.PurchaseRecord",
        verbose_name=_("Purchase record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gift_voucher",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Gift voucher")
        verbose_name_plural = _("Gift vouchers")

    def __str__(self):
        return self.code

    @property
    def display_code(self):
        """The code in groups of four, as printed for staff (redemption ignores the dashes)."""
        return "-".join(self.code[start : start + 4] for start in range(0, len(self.code), 4))
