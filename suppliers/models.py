from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner

from accounts.workflow import IllegalStatusChange, StatusChangeRecord, StatusMachine
from suppliers.credit_code import validate_credit_code
from suppliers.private_files import evidence_name, private_storage


class Partner(AbstractPartner):
    """A poverty-alleviation supplier: Oscar's partner with its certification profile."""

    ENTERPRISE, COOPERATIVE, FAMILY_FARM, VILLAGE_COLLECTIVE, INDIVIDUAL = (
        "enterprise",
        "cooperative",
        "family_farm",
        "village_collective",
        "individual",
    )
    TYPE_CHOICES = [
        (ENTERPRISE, _("Enterprise")),
        (COOPERATIVE, _("Farmers' cooperative")),
        (FAMILY_FARM, _("Family farm")),
        (VILLAGE_COLLECTIVE, _("Village collective")),
        (INDIVIDUAL, _("Individual business")),
    ]
    LEADING_CHOICES = [
        ("", _("Not a leading enterprise")),
        ("city", _("City-level leading enterprise")),
        ("provincial", _("Provincial leading enterprise")),
        ("national", _("National leading enterprise")),
    ]
    LINK_WAGES, LINK_DIVIDEND, LINK_PURCHASE = "wages", "dividend", "purchase"
    LINK_CHOICES = [
        (LINK_WAGES, _("Employs poor household members (wages)")),
        (LINK_DIVIDEND, _("Asset dividend to poor households")),
        (LINK_PURCHASE, _("Buys produce from poor households")),
    ]

    legal_name = models.CharField(_("Legal name"), max_length=128, blank=True)
    supplier_type = models.CharField(_("Supplier type"), max_length=24, choices=TYPE_CHOICES, default=ENTERPRISE)
    credit_code = models.CharField(
        _("Unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suppliers",
    )
    address = models.CharField(_("Address"), max_length=255, blank=True)
    contact_name = models.CharField(_("Contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("Contact e-mail"), blank=True)
    description = models.TextField(_("About the supplier"), blank=True)
    leading_enterprise = models.CharField(_("Leading enterprise"), max_length=16, choices=LEADING_CHOICES, blank=True)
    link_type = models.CharField(_("How it helps poor households"), max_length=16, choices=LINK_CHOICES, blank=True)
    link_description = models.TextField(_("Poverty-alleviation link in detail"), blank=True)
    households_linked = models.PositiveIntegerField(_("Poor households linked"), default=0)
    people_linked = models.PositiveIntegerField(_("Poor people linked"), default=0)
    bank_name = models.CharField(_("Settlement bank"), max_length=128, blank=True)
    bank_account_name = models.CharField(_("Account name"), max_length=128, blank=True)
    bank_account = models.CharField(_("Account number"), max_length=64, blank=True)
    shipping_rate = models.DecimalField(
        _("Shipping charge per order"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    free_shipping_threshold = models.DecimalField(
        _("Free shipping from"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    allows_cash_on_delivery = models.BooleanField(_("Accepts cash on delivery"), default=False)

    class Meta(AbstractPartner.Meta):
        pass

    @property
    def display_name(self):
        return self.name or self.legal_name


class CertificationRules(models.Model):
    """How one county office runs certification: whether its townships check applications first (镇初审), and how
    long its public notice lasts. A county without a row follows the platform's defaults."""

    county = models.OneToOneField(
        "regions.Region",
        verbose_name=_("County"),
        on_delete=models.CASCADE,
        related_name="certification_rules",
        limit_choices_to={"level": "county"},
    )
    township_check = models.BooleanField(
        _("Township first check"),
        default=False,
        help_text=_("Applications go to the supplier's township clerk before the county office decides."),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("Days of public notice"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the platform's default."),
    )

    class Meta:
        verbose_name = _("County certification rules")
        verbose_name_plural = _("County certification rules")
        permissions = [
            ("check_certifications", "First check of applications from one's township"),
            ("revoke_certifications", "Revoke certificates within one's jurisdiction"),
        ]

    def __str__(self):
        return str(self.county)


class CertificationStatus(models.TextChoices):
    TOWNSHIP = "township", _("Awaiting the township's first check")
    PENDING = "pending", _("Under review")
    NOTICE = "notice", _("Under public notice")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvalidCertificationTransition(IllegalStatusChange):
    """A status change that the certification workflow does not allow."""


# Which statuses each status may move to (the model is Oscar's order status pipeline). Where the county asks for it,
# an application waits for the township's first check before the county office reviews it. A supplier is certified
# directly on approval; a product is first put on public notice, and enters the catalogue when its batch is published.
CERTIFICATION_PIPELINE = {
    CertificationStatus.TOWNSHIP: (CertificationStatus.PENDING, CertificationStatus.REJECTED),
    CertificationStatus.PENDING: (
        CertificationStatus.NOTICE,
        CertificationStatus.CERTIFIED,
        CertificationStatus.REJECTED,
    ),
    CertificationStatus.NOTICE: (CertificationStatus.CERTIFIED, CertificationStatus.REVOKED),
    CertificationStatus.CERTIFIED: (CertificationStatus.EXPIRED, CertificationStatus.REVOKED),
    CertificationStatus.REJECTED: (CertificationStatus.PENDING, CertificationStatus.TOWNSHIP),
    CertificationStatus.EXPIRED: (CertificationStatus.PENDING, CertificationStatus.TOWNSHIP),
    CertificationStatus.REVOKED: (),
}


class CertificationQuerySet(models.QuerySet):
    def valid(self, on=None):
        on = on or timezone.localdate()
        return self.filter(status=CertificationStatus.CERTIFIED, valid_from__lte=on, valid_until__gte=on)


class AbstractCertification(StatusMachine, models.Model):
    TRANSITIONS = CERTIFICATION_PIPELINE
    illegal_status_change = InvalidCertificationTransition
    illegal_status_change_message = _("A certification that is “%(old)s” cannot become “%(new)s”.")

    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=CertificationStatus.choices,
        default=CertificationStatus.PENDING,
        db_index=True,
    )
    certificate_number = models.CharField(_("Certificate number"), max_length=32, unique=True, null=True, blank=True)
    certifying_office = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Certifying office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("Valid from"), null=True, blank=True)
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    reason = models.TextField(_("Reason"), blank=True, help_text=_("Why it was rejected or revoked."))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("Applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    business_licence = models.FileField(
        _("Business licence"), storage=private_storage, upload_to=evidence_name, max_length=200, blank=True
    )
    business_licence_name = models.CharField(_("Business licence file name"), max_length=255, blank=True)
    commitment_letter = models.FileField(
        _("Commitment letter"), storage=private_storage, upload_to=evidence_name, max_length=200, blank=True
    )
    commitment_letter_name = models.CharField(_("Commitment letter file name"), max_length=255, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("Renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        help_text=_("The certificate this application renews."),
    )

    objects = CertificationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-applied_at"]

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The validity must end after it starts.")})

    def record_status_change(self, *, old, new, by, reason):
        CertificationStatusChange.objects.create(
            **{self.status_change_field: self}, old_status=old, new_status=new, changed_by=by, reason=reason
        )


class SupplierCertification(AbstractCertification):
    status_change_field = "supplier_certification"

    partner = models.ForeignKey(
        Partner, verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="certifications"
    )

    class Meta(AbstractCertification.Meta):
        verbose_name = _("Supplier certification")
        verbose_name_plural = _("Supplier certifications")

    def __str__(self):
        return f"{self.partner} · {self.get_status_display()}"


class CatalogueBatch(models.Model):
    """A numbered batch of the public catalogue (第N批), published after its notice period."""

    county = models.ForeignKey(
        "regions.Region", verbose_name=_("Certifying office"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("Batch number"))
    year = models.PositiveIntegerField(_("Year"))
    notice_starts_on = models.DateField(_("Notice starts"))
    notice_ends_on = models.DateField(_("Notice ends"))
    published_on = models.DateField(_("Published on"), null=True, blank=True)

    class Meta:
        unique_together = [("county", "year", "number")]
        ordering = ["-year", "-number"]
        verbose_name = _("Catalogue batch")
        verbose_name_plural = _("Catalogue batches")

    def __str__(self):
        return _("Batch %(number)s of %(year)s") % {"number": self.number, "year": self.year}


class PriceSource(models.TextChoices):
    CHANNEL = "channel", _("The same goods' price on another channel")
    CONTRACT = "contract", _("A sales contract")
    INVOICE = "invoice", _("An invoice")


class ProductCertification(AbstractCertification):
    status_change_field = "product_certification"

    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("Product"), on_delete=models.PROTECT, related_name="certifications"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="product_certifications"
    )
    batch = models.ForeignKey(
        CatalogueBatch,
        verbose_name=_("Batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    # The honest-price reference (价格佐证) the product is certified with: a rise far above it needs the county.
    reference_price = models.DecimalField(_("Reference price"), max_digits=12, decimal_places=2, null=True, blank=True)
    reference_source = models.CharField(
        _("Source of the reference price"), max_length=16, choices=PriceSource.choices, blank=True
    )
    reference_note = models.CharField(
        _("Where the reference price comes from"),
        max_length=255,
        blank=True,
        help_text=_("The shop or platform and the date, the contract's or the invoice's number."),
    )

    class Meta(AbstractCertification.Meta):
        verbose_name = _("Product certification")
        verbose_name_plural = _("Product certifications")

    def __str__(self):
        return f"{self.product} · {self.get_status_display()}"

    @property
    def has_price_proof(self):
        """Whether the application carries its price proof: a reference price, its source and where it comes from."""
        return bool(
            self.reference_price
            and self.reference_price > 0
            and self.reference_source
            and (self.reference_note or "").strip()
        )


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the county office's answer")
    DISMISSED = "dismissed", _("Answered: the product stays on notice")
    UPHELD = "upheld", _("Answered: the product is withdrawn")


class Objection(models.Model):
    """An objection (异议) that a member of the public raised against a product on public notice.

    While one is unanswered its batch is not published.
    """

    batch = models.ForeignKey(
        CatalogueBatch, verbose_name=_("Batch"), on_delete=models.PROTECT, related_name="objections"
    )
    certification = models.ForeignKey(
        ProductCertification,
        verbose_name=_("Product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("Your name"), max_length=64)
    contact = models.CharField(_("Phone or e-mail"), max_length=64)
    reason = models.TextField(_("Why the product should not be certified"), max_length=2000)
    submitted_at = models.DateTimeField(_("Submitted at"), default=timezone.now)
    status = models.CharField(
        _("Status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    answer = models.TextField(_("Answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("Objection")
        verbose_name_plural = _("Objections")

    def __str__(self):
        return f"{self.batch} · {self.name}"

    @property
    def is_open(self):
        return self.status == ObjectionStatus.OPEN


class CertificateReminder(models.Model):
    """A reminder that a certificate is about to expire, sent once per certificate and threshold (60 or 30 days)."""

    supplier_certification = models.ForeignKey(
        SupplierCertification,
        verbose_name=_("Supplier certification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    product_certification = models.ForeignKey(
        ProductCertification,
        verbose_name=_("Product certification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("Days before expiry"))
    sent_at = models.DateTimeField(_("Sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("Recipients"), default=0)

    class Meta:
        verbose_name = _("Expiry reminder")
        verbose_name_plural = _("Expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_certification", "days_before"],
                condition=models.Q(supplier_certification__isnull=False),
                name="one_reminder_per_supplier_certificate_and_threshold",
            ),
            models.UniqueConstraint(
                fields=["product_certification", "days_before"],
                condition=models.Q(product_certification__isnull=False),
                name="one_reminder_per_product_certificate_and_threshold",
            ),
        ]

    def __str__(self):
        return f"{self.supplier_certification or self.product_certification} · {self.days_before}"


class PriceChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the county office's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class InvalidPriceChangeTransition(IllegalStatusChange):
    """A move that the price-rise workflow does not allow."""


PRICE_CHANGE_PIPELINE = {
    PriceChangeStatus.PENDING: (PriceChangeStatus.APPROVED, PriceChangeStatus.REJECTED),
    PriceChangeStatus.APPROVED: (),
    PriceChangeStatus.REJECTED: (),
}


class PriceChange(StatusMachine, models.Model):
    """A price rise above the certified reference by more than the margin, held until the county office approves it.

    Until then buyers keep seeing the old price.
    """

    TRANSITIONS = PRICE_CHANGE_PIPELINE
    illegal_status_change = InvalidPriceChangeTransition
    illegal_status_change_message = _("A price rise that is “%(old)s” cannot become “%(new)s”.")

    stockrecord = models.ForeignKey(
        "partner.StockRecord", verbose_name=_("Stock record"), on_delete=models.CASCADE, related_name="price_changes"
    )
    old_price = models.DecimalField(_("Price before"), max_digits=12, decimal_places=2)
    new_price = models.DecimalField(_("Price asked"), max_digits=12, decimal_places=2)
    reference_price = models.DecimalField(_("Reference price"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=PriceChangeStatus.choices,
        default=PriceChangeStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("Requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    reason = models.TextField(_("Reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Price rise")
        verbose_name_plural = _("Price rises")
        constraints = [
            models.UniqueConstraint(
                fields=["stockrecord"], condition=models.Q(status="pending"), name="one_pending_price_rise_per_stock"
            )
        ]

    def __str__(self):
        return f"{self.stockrecord_id}: {self.old_price} → {self.new_price}"

    def record_status_change(self, *, old, new, by, reason):
        # The decision is kept on the row itself: one move, from pending to approved or rejected.
        self.decided_by, self.decided_at, self.reason = by, timezone.now(), reason
        self.save(update_fields=["decided_by", "decided_at", "reason"])

    @property
    def rise_percent(self):
        return ((self.new_price - self.reference_price) / self.reference_price * 100).quantize(Decimal("0.1"))


class PriceHistory(models.Model):
    """Each price a stock record has shown to buyers, from when: the source of the lowest price of the last 30 days."""

    stockrecord = models.ForeignKey(
        "partner.StockRecord", verbose_name=_("Stock record"), on_delete=models.CASCADE, related_name="price_history"
    )
    price = models.DecimalField(_("Price"), max_digits=12, decimal_places=2)
    shown_from = models.DateTimeField(_("Shown from"), default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["stockrecord", "-shown_from", "-pk"]
        verbose_name = _("Price history")
        verbose_name_plural = _("Price history")

    def __str__(self):
        return f"{self.stockrecord_id}: {self.price} @ {self.shown_from:%Y-%m-%d}"


class HouseholdLink(models.Model):
    """One way a supplier links to poor households (带贫益贫机制): which villages, how many households, and the share
    of its sales it declares reaches them, from which the offices estimate the income a sale brings households."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("Supplier"), on_delete=models.CASCADE, related_name="household_links"
    )
    mechanism = models.CharField(_("Mechanism"), max_length=16, choices=Partner.LINK_CHOICES)
    villages = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("Villages"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": "village"},
    )
    households = models.PositiveIntegerField(_("Poor households linked"))
    rate_percent = models.DecimalField(
        _("Declared share of sales reaching households (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Wages paid, dividends or produce bought from poor households, per 100 yuan of sales."),
    )
    description = models.CharField(_("How it works"), max_length=255, blank=True)

    class Meta:
        ordering = ["partner", "mechanism"]
        verbose_name = _("Household linkage")
        verbose_name_plural = _("Household linkages")
        constraints = [
            models.UniqueConstraint(fields=["partner", "mechanism"], name="one_linkage_per_supplier_and_mechanism")
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_mechanism_display()}"


class ProductSource(models.Model):
    """A poor household or a cooperative a supplier buys a certified product's produce from."""

    HOUSEHOLD, COOPERATIVE = "household", "cooperative"
    KIND_CHOICES = [(HOUSEHOLD, _("Poor household")), (COOPERATIVE, _("Cooperative"))]

    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("Product"), on_delete=models.CASCADE, related_name="sources"
    )
    partner = models.ForeignKey(Partner, verbose_name=_("Supplier"), on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("Kind"), max_length=16, choices=KIND_CHOICES, default=HOUSEHOLD)
    name = models.CharField(_("Name"), max_length=128)
    village = models.ForeignKey("regions.Region", verbose_name=_("Village"), on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(_("Poor households"), default=1)

    class Meta:
        ordering = ["product", "name"]
        verbose_name = _("Product source")
        verbose_name_plural = _("Product sources")

    def __str__(self):
        return f"{self.product} · {self.name}"


class CertificationStatusChange(StatusChangeRecord):
    """One move of a certification's status: who made it, when, from what to what, and why."""

    supplier_certification = models.ForeignKey(
        SupplierCertification,
        verbose_name=_("Supplier certification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    product_certification = models.ForeignKey(
        ProductCertification,
        verbose_name=_("Product certification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    old_status = models.CharField(_("From"), max_length=16, choices=CertificationStatus.choices)
    new_status = models.CharField(_("To"), max_length=16, choices=CertificationStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Certification status change")
        verbose_name_plural = _("Certification status changes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(supplier_certification__isnull=False, product_certification__isnull=True)
                | models.Q(supplier_certification__isnull=True, product_certification__isnull=False),
                name="status_change_names_one_certification",
            )
        ]

    def __str__(self):
        return f"{self.get_old_status_display()} → {self.get_new_status_display()}"


class CertificateCounter(models.Model):
    """The last certificate number a county office issued in a year; locked while the next one is drawn."""

    county = models.ForeignKey("regions.Region", verbose_name=_("County"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("Year"))
    last_number = models.PositiveIntegerField(_("Last number issued"), default=0)

    class Meta:
        unique_together = [("county", "year")]
        verbose_name = _("Certificate number counter")
        verbose_name_plural = _("Certificate number counters")

    def __str__(self):
        return f"{self.county_id}-{self.year}: {self.last_number}"


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class InvalidChangeRequestTransition(Exception):
    """A status change that the change-request workflow does not allow."""


CHANGE_REQUEST_PIPELINE = {
    ChangeRequestStatus.PENDING: (ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED),
    ChangeRequestStatus.APPROVED: (),
    ChangeRequestStatus.REJECTED: (),
}

# The facts a certificate was issued on: changing one needs the county office's approval (变更申请).
REVIEWED_PRODUCT_FACTS = {
    "title": _("Title"),
    "categories": _("Category"),
    "origin": _("Origin"),
    "specification": _("Specification"),
    "sales_unit": _("Unit"),
}
REVIEWED_SUPPLIER_FACTS = {
    "credit_code": _("Unified social credit code"),
    "legal_name": _("Legal name"),
    "region": _("Region"),
}


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequestStatus.PENDING)


class ChangeRequest(models.Model):
    """A change to a certified product's or supplier's facts, held until the county office decides (变更申请).

    A request for the supplier itself has no product. While it waits, the product (or every product of the supplier)
    is not sold.
    """

    partner = models.ForeignKey(
        Partner, verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="change_requests"
    )
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("Product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    # {field: [old, new]}: `changes` as people read them, `raw_changes` as they are stored (ids, codes).
    changes = models.JSONField(_("Changes"), default=dict)
    raw_changes = models.JSONField(_("Changes as stored"), default=dict)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
        db_index=True,
    )
    reason = models.TextField(_("Reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("Submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("Change request")
        verbose_name_plural = _("Change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status="pending", product__isnull=False),
                name="one_pending_change_request_per_product",
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=models.Q(status="pending", product__isnull=True),
                name="one_pending_change_request_per_supplier",
            ),
        ]

    def __str__(self):
        return f"{self.product or self.partner} · {self.get_status_display()}"

    def rows(self):
        """(label, old, new) for each changed fact, in the order the facts are listed."""
        labels = REVIEWED_PRODUCT_FACTS if self.product_id else REVIEWED_SUPPLIER_FACTS
        return [(label, *self.changes[name]) for name, label in labels.items() if name in self.changes]

    def available_statuses(self):
        return CHANGE_REQUEST_PIPELINE.get(self.status, ())

    def set_status(self, new_status, *, user=None, reason=""):
        """Move to new_status if the workflow allows it, recording who, when, from, to and why."""
        if new_status not in self.available_statuses():
            raise InvalidChangeRequestTransition(
                _("A change request that is “%(old)s” cannot become “%(new)s”.")
                % {"old": self.get_status_display(), "new": ChangeRequestStatus(new_status).label}
            )
        old_status = self.status
        self.status = new_status
        self.save()
        ChangeRequestStatusChange.objects.create(
            change_request=self, old_status=old_status, new_status=new_status, changed_by=user, reason=reason
        )


class ChangeRequestStatusChange(StatusChangeRecord):
    """One move of a change request: who made it, when, from what to what, and why (no "from" on submission)."""

    change_request = models.ForeignKey(
        ChangeRequest, verbose_name=_("Change request"), on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(_("From"), max_length=16, choices=ChangeRequestStatus.choices, blank=True)
    new_status = models.CharField(_("To"), max_length=16, choices=ChangeRequestStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Change request status change")
        verbose_name_plural = _("Change request status changes")

    def __str__(self):
        return f"{self.get_old_status_display() or '—'} → {self.get_new_status_display()}"


from oscar.apps.partner.models import *  # noqa: E402,F403
