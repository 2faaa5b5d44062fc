from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.workflow import StatusMachine
from organisations.models import Unit
from reports.errors import IllegalTransition, RecordLocked
from suppliers.private_files import private_storage, random_name


def receipt_upload_to(instance, filename):
    return random_name("receipts", filename)


def import_upload_to(instance, filename):
    return random_name("imports", filename)


class Category(models.TextChoices):
    GRAIN = "grain", _("Grain and oil")
    MEAT = "meat", _("Meat, poultry and eggs")
    VEGETABLES = "vegetables", _("Vegetables")
    FRUIT = "fruit", _("Fruit")
    TEA = "tea", _("Tea")
    PROCESSED = "processed", _("Processed food")
    HANDICRAFT = "handicraft", _("Handicrafts")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    ONLINE = "online", _("This platform (online)")
    VILLAGE = "village", _("In the village (到村到户)")
    COUNTER = "counter", _("Kiosk or counter")
    FAIR = "fair", _("Fair")
    OTHER_PLATFORM = "other_platform", _("Other platform")


class PaymentMethod(models.TextChoices):
    PUBLIC_ACCOUNT = "public_account", _("Public account transfer")
    CARD = "card", _("Official card")
    CASH = "cash", _("Cash")
    MOBILE = "mobile", _("Mobile payment")
    ONLINE = "online", _("Paid online on this platform")


class SellerKind(models.TextChoices):
    SUPPLIER = "supplier", _("Certified supplier")
    HOUSEHOLD = "household", _("Poor household")
    COOPERATIVE = "cooperative", _("Village cooperative")


class Confirmation(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class Source(models.TextChoices):
    FORM = "form", _("Entered by the unit")
    VILLAGE = "village", _("Registered by the village")
    IMPORT = "import", _("Imported")
    ORDER = "order", _("Online order")


class UnitOfMeasure(models.TextChoices):
    """Units of measure (计量单位) a record may count in, stored as codes and shown in the reader's language."""

    JIN = "jin", _("jin (500 g)")
    KILOGRAM = "kg", _("kilogram")
    GRAM = "g", _("gram")
    TONNE = "t", _("tonne")
    LITRE = "l", _("litre")
    PIECE = "piece", _("piece (each)")
    ANIMAL = "animal", _("animal (poultry)")
    HEAD = "head", _("head (livestock)")
    STRIP = "strip", _("strip (fish)")
    ITEM = "item", _("item")
    BOX = "box", _("box (case)")
    CARTON = "carton", _("small box")
    BAG = "bag", _("bag")
    PACK = "pack", _("pack")
    BOTTLE = "bottle", _("bottle")
    JAR = "jar", _("jar")
    BARREL = "barrel", _("barrel")
    PORTION = "portion", _("portion")
    SET = "set", _("set")
    BUNDLE = "bundle", _("bundle")
    STRING = "string", _("string")
    OTHER = "other", _("other (as written)")


UNIT_OF_MEASURE_CODES = frozenset(UnitOfMeasure.values)

# The names people write for a unit of measure, beside each unit's label in every language of the site.
UNIT_OF_MEASURE_NAMES = {
    "斤": UnitOfMeasure.JIN,
    "市斤": UnitOfMeasure.JIN,
    "公斤": UnitOfMeasure.KILOGRAM,
    "千克": UnitOfMeasure.KILOGRAM,
    "kg": UnitOfMeasure.KILOGRAM,
    "克": UnitOfMeasure.GRAM,
    "吨": UnitOfMeasure.TONNE,
    "升": UnitOfMeasure.LITRE,
    "公升": UnitOfMeasure.LITRE,
    "个": UnitOfMeasure.PIECE,
    "只": UnitOfMeasure.ANIMAL,
    "头": UnitOfMeasure.HEAD,
    "条": UnitOfMeasure.STRIP,
    "尾": UnitOfMeasure.STRIP,
    "件": UnitOfMeasure.ITEM,
    "箱": UnitOfMeasure.BOX,
    "盒": UnitOfMeasure.CARTON,
    "袋": UnitOfMeasure.BAG,
    "包": UnitOfMeasure.PACK,
    "瓶": UnitOfMeasure.BOTTLE,
    "罐": UnitOfMeasure.JAR,
    "桶": UnitOfMeasure.BARREL,
    "份": UnitOfMeasure.PORTION,
    "套": UnitOfMeasure.SET,
    "捆": UnitOfMeasure.BUNDLE,
    "把": UnitOfMeasure.BUNDLE,
    "串": UnitOfMeasure.STRING,
    "其他": UnitOfMeasure.OTHER,
}


def unit_of_measure_code(text):
    """The code of a unit of measure written as its code, its Chinese name or its label in any site language;
    None when it is none of them."""
    if text is None:
        return None
    key = str(text).strip().lower()
    if key in UNIT_OF_MEASURE_CODES:
        return key
    return _unit_of_measure_lookup().get(key)


def _unit_of_measure_lookup():
    if not _UNIT_LABELS:
        from django.utils import translation

        lookup = {name.lower(): code.value for name, code in UNIT_OF_MEASURE_NAMES.items()}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for code, label in UnitOfMeasure.choices:
                    lookup.setdefault(str(label).lower(), code)
        _UNIT_LABELS.update(lookup)
    return _UNIT_LABELS


# Filled on first use, once the translation catalogues are loaded.
_UNIT_LABELS = {}


class UnitOfMeasureField(models.CharField):
    """A unit-of-measure code; a unit written by its name (斤, 箱, "box") is stored as its code."""

    def to_python(self, value):
        value = super().to_python(value)
        return unit_of_measure_code(value) or value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return unit_of_measure_code(value) or value

    def pre_save(self, model_instance, add):
        # The instance holds the code it was saved with, as it will when read back.
        value = self.to_python(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


# The amount column holds 14 digits with 2 decimals; a larger product of quantity and price is refused, not stored.
AMOUNT_LIMIT = Decimal(10) ** 12


class PurchaseRecord(models.Model):
    """One purchase from a certified supplier or a village household (消费扶贫采购登记)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("Buying unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Individual helper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helped_purchases",
    )
    helper_name = models.CharField(_("Helper's name"), max_length=64, blank=True)
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("Village"), on_delete=models.PROTECT, related_name="purchase_records"
    )
    seller_kind = models.CharField(_("Seller type"), max_length=16, choices=SellerKind.choices)
    supplier = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Certified supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_records",
    )
    seller_name = models.CharField(_("Household or cooperative"), max_length=128, blank=True)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("Certified product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_records",
    )
    product_name = models.CharField(_("Product"), max_length=128)
    category = models.CharField(_("Category"), max_length=16, choices=Category.choices)
    quantity = models.DecimalField(_("Quantity"), max_digits=14, decimal_places=3)
    unit_of_measure = UnitOfMeasureField(_("Unit of measure"), max_length=16, choices=UnitOfMeasure.choices)
    # The unit as it was written, kept when it is none of the known units (stored as "other").
    unit_of_measure_text = models.CharField(_("Unit as written"), max_length=16, blank=True)
    unit_price = models.DecimalField(_("Unit price (yuan)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("Amount (yuan)"), max_digits=14, decimal_places=2, editable=False)
    households_benefiting = models.PositiveIntegerField(_("Households benefiting"), default=0)
    purchased_on = models.DateField(_("Purchase date"), db_index=True)
    channel = models.CharField(_("Channel"), max_length=16, choices=Channel.choices)
    payment_method = models.CharField(_("Payment method"), max_length=16, choices=PaymentMethod.choices, blank=True)
    receipt = models.FileField(
        _("Receipt photo"), storage=private_storage, upload_to=receipt_upload_to, max_length=200, blank=True
    )
    receipt_name = models.CharField(_("Receipt file name"), max_length=255, blank=True)
    source = models.CharField(_("Entered through"), max_length=16, choices=Source.choices, default=Source.FORM)
    confirmation = models.CharField(
        _("Seller confirmation"),
        max_length=16,
        choices=Confirmation.choices,
        default=Confirmation.UNCONFIRMED,
        db_index=True,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Confirmed or disputed at"), null=True, blank=True)
    dispute_reason = models.TextField(_("Why the seller disputes it"), blank=True)
    order_line = models.OneToOneField(
        "order.Line",
        verbose_name=_("Order line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_record",
    )
    import_job = models.ForeignKey(
        "reports.ImportJob",
        verbose_name=_("Import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("Corrects record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    superseded = models.BooleanField(_("Replaced by an amendment"), default=False, db_index=True)
    reported = models.BooleanField(_("In a submitted report"), default=False)
    locked = models.BooleanField(_("Locked by an approved report"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_purchases",
    )
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-purchased_on", "-pk"]
        verbose_name = _("Purchase record")
        verbose_name_plural = _("Purchase records")
        indexes = [models.Index(fields=["purchased_on", "village"]), models.Index(fields=["unit", "purchased_on"])]

    def __str__(self):
        return f"{self.purchased_on} {self.product_name} ¥{self.amount}"

    def save(self, *args, **kwargs):
        if self.amount is None:
            self.amount = self.compute_amount()
        super().save(*args, **kwargs)

    @property
    def unit_of_measure_label(self):
        """The unit of measure in the reader's language; a unit kept as "other" shows as it was written."""
        if self.unit_of_measure == UnitOfMeasure.OTHER and self.unit_of_measure_text:
            return self.unit_of_measure_text
        return self.get_unit_of_measure_display()

    def compute_amount(self):
        if self.quantity is None or self.unit_price is None:
            return None
        return (Decimal(self.quantity) * Decimal(self.unit_price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if not self.unit_id and not self.helper_id and not self.helper_name:
            errors["unit"] = _("Name the buying unit or the individual helper.")
        if self.seller_kind == SellerKind.SUPPLIER and not self.supplier_id:
            errors["supplier"] = _("Choose the certified supplier.")
        if self.seller_kind in (SellerKind.HOUSEHOLD, SellerKind.COOPERATIVE) and not self.seller_name:
            errors["seller_name"] = _("Name the household or cooperative that sold it.")
        if self.village_id and self.village.level != "village" and self.channel != Channel.ONLINE:
            errors["village"] = _("Choose a village, not a larger region.")
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = _("The quantity must be more than zero.")
        if self.unit_price is not None and self.unit_price < 0:
            errors["unit_price"] = _("The unit price cannot be negative.")
        if self.purchased_on is not None and "purchased_on" not in errors:
            from django.utils import timezone

            earliest = date.fromisoformat(settings.REPORT_EARLIEST_PURCHASE_DATE)
            if self.purchased_on < earliest:
                errors["purchased_on"] = _("Purchases before %(date)s are not registered here.") % {
                    "date": earliest.isoformat()
                }
            elif self.purchased_on > timezone.localdate():
                errors["purchased_on"] = _("The purchase date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        self.amount = self.compute_amount()
        if self.amount is not None and abs(self.amount) >= AMOUNT_LIMIT:
            raise ValidationError(
                {
                    "quantity": _(
                        "Quantity × unit price is more than the largest amount a record can hold (¥%(limit)s)."
                    )
                    % {"limit": f"{AMOUNT_LIMIT - Decimal('0.01'):,}"}
                }
            )

    def delete(self, *args, **kwargs):
        if self.reported or self.locked:
            raise RecordLocked(_("A reported record is never deleted; correct it with an amendment."))
        return super().delete(*args, **kwargs)


class ImportJob(models.Model):
    """One uploaded spreadsheet of purchase records, imported all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking rows")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")
        CONFIRM = "confirm", _("Waiting for your confirmation")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("Unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="import_jobs"
    )
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    file_name = models.CharField(_("File"), max_length=255)
    file = models.FileField(
        _("Uploaded file"), storage=private_storage, upload_to=import_upload_to, max_length=200, blank=True
    )
    sha256 = models.CharField(_("File SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("Rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("Rows checked"), default=0)
    imported_rows = models.PositiveIntegerField(_("Rows imported"), default=0)
    errors = models.JSONField(_("Errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    # Written by the worker as it goes; a running job whose heartbeat stops was left by a worker that died.
    heartbeat_at = models.DateTimeField(_("Last progress at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    # A digest of the rows as read (blank lines, cell types and row order aside): the same rows saved again by Excel,
    # or with a line added, are the same content and are imported once per body.
    content_digest = models.CharField(_("Digest of the rows"), max_length=64, blank=True, db_index=True)
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("Same rows as import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicates = models.JSONField(_("Rows that repeat a registered purchase"), default=list, blank=True)
    duplicates_confirmed = models.BooleanField(_("Repeated rows imported anyway"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Import")
        verbose_name_plural = _("Imports")
        constraints = [
            # One file imported once, even when it is uploaded twice at the same moment; a refused import frees it.
            models.UniqueConstraint(
                fields=["sha256"], condition=~models.Q(status="failed"), name="reports_import_one_job_per_file"
            ),
            # The same rows imported once per unit or village, however the file was saved.
            models.UniqueConstraint(
                fields=["unit", "content_digest"],
                condition=models.Q(status="done", unit__isnull=False) & ~models.Q(content_digest=""),
                name="reports_import_rows_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["village", "content_digest"],
                condition=models.Q(status="done", unit__isnull=True, village__isnull=False)
                & ~models.Q(content_digest=""),
                name="reports_import_rows_once_per_village",
            ),
        ]

    def __str__(self):
        return self.file_name

    @property
    def percent(self):
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")


class HalfMonthReport(StatusMachine, models.Model):
    """The half-month report (半月报) of one reporting body — a region's office or a unit — for one period."""

    Status = ReportStatus
    # from -> allowed targets
    TRANSITIONS = {
        ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
        ReportStatus.SUBMITTED: {ReportStatus.APPROVED, ReportStatus.RETURNED},
        ReportStatus.RETURNED: {ReportStatus.RESUBMITTED},
        ReportStatus.RESUBMITTED: {ReportStatus.APPROVED, ReportStatus.RETURNED},
        ReportStatus.APPROVED: set(),
    }
    illegal_status_change = IllegalTransition
    illegal_status_change_message = _("A report that is %(old)s cannot become %(new)s.")

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Reporting office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="half_month_reports",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("Reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="half_month_reports",
    )
    period_start = models.DateField(_("Period from"), db_index=True)
    period_end = models.DateField(_("Period to"))
    status = models.CharField(
        _("Status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("Amends report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    figures = models.JSONField(_("Figures at submission"), default=dict, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prepared_reports",
    )
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField(_("Reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("Reviewer's comment"), blank=True)
    submission_note = models.TextField(
        _("Preparer's explanation"),
        blank=True,
        help_text=_("Why the total differs from the reports below, or why one of them is missing or returned."),
    )
    records = models.ManyToManyField(
        PurchaseRecord, through="ReportRecord", related_name="reports", verbose_name=_("Records counted")
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("Half-month report")
        verbose_name_plural = _("Half-month reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True, unit__isnull=False)
                | models.Q(region__isnull=False, unit__isnull=True),
                name="report_has_one_body",
            ),
            models.UniqueConstraint(
                fields=["region", "period_start"], condition=models.Q(amends__isnull=True), name="one_report_per_office"
            ),
            models.UniqueConstraint(
                fields=["unit", "period_start"], condition=models.Q(amends__isnull=True), name="one_report_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.body} {self.period}"

    @property
    def body(self):
        return self.unit or self.region

    @property
    def period(self):
        from reports.periods import period_of

        return period_of(self.period_start)

    @property
    def is_locked(self):
        return self.status == ReportStatus.APPROVED

    @property
    def is_late(self):
        from django.utils import timezone

        submitted = self.submitted_at and timezone.localdate(self.submitted_at)
        deadline = self.period.deadline
        return (submitted or timezone.localdate()) > deadline

    @property
    def body_kind(self):
        return "unit" if self.unit_id else self.region.level

    def record_status_change(self, *, old, new, by, reason):
        ReportStatusChange.objects.create(report=self, from_status=old, to_status=new, changed_by=by, comment=reason)


class ReportStatusChange(models.Model):
    report = models.ForeignKey(
        HalfMonthReport, verbose_name=_("Half-month report"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("From"), max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("To"), max_length=16, choices=ReportStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("By"), on_delete=models.PROTECT)
    changed_at = models.DateTimeField(_("At"), auto_now_add=True)
    comment = models.TextField(_("Comment"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Report status change")
        verbose_name_plural = _("Report status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportingOffice(models.Model):
    """The mailbox that receives reports addressed to the office of a region."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("Region"), on_delete=models.CASCADE, related_name="reporting_office"
    )
    name = models.CharField(_("Office name"), max_length=128)
    email = models.EmailField(_("Mailbox for reports"))

    class Meta:
        verbose_name = _("Reporting office")
        verbose_name_plural = _("Reporting offices")

    def __str__(self):
        return self.name


class ReminderLog(models.Model):
    """One reminder (催报) sent to one reporting body about one period: by an office's hand or by the daily schedule."""

    period_start = models.DateField(_("Period from"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Reporting office"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("Reporting unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the automatic reminder."),
    )
    sent_at = models.DateTimeField(_("Sent at"), db_index=True)
    recipients = models.PositiveIntegerField(_("Recipients"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("Report reminder")
        verbose_name_plural = _("Report reminders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True, unit__isnull=False)
                | models.Q(region__isnull=False, unit__isnull=True),
                name="reminder_has_one_body",
            )
        ]
        indexes = [
            models.Index(fields=["period_start", "region"], name="reports_reminder_region"),
            models.Index(fields=["period_start", "unit"], name="reports_reminder_unit"),
        ]

    def __str__(self):
        return f"{self.unit or self.region} {self.period_start} {self.sent_at}"

    @property
    def body(self):
        return self.unit or self.region

    @property
    def automatic(self):
        return self.sent_by_id is None


class ReportRecord(models.Model):
    """A record counted by a submitted report: the report owns exactly these, and its figures are theirs.

    A record is counted by the reports of its village and of every office above it, and by its unit's report, so it
    has one row per report; a resubmission after a return binds afresh.
    """

    report = models.ForeignKey(
        HalfMonthReport, verbose_name=_("Half-month report"), on_delete=models.CASCADE, related_name="record_links"
    )
    record = models.ForeignKey(
        PurchaseRecord, verbose_name=_("Purchase record"), on_delete=models.PROTECT, related_name="report_links"
    )

    class Meta:
        verbose_name = _("Record counted by a report")
        verbose_name_plural = _("Records counted by reports")
        constraints = [models.UniqueConstraint(fields=["report", "record"], name="reports_record_counted_once")]

    def __str__(self):
        return f"{self.report_id} ← {self.record_id}"


class RecordChange(models.Model):
    """One change to a purchase record: who, when, what it was before and what it became."""

    class Action(models.TextChoices):
        UPDATED = "updated", _("Corrected in place")
        AMENDED = "amended", _("Replaced by an amendment")
        AMENDMENT = "amendment", _("Registered as an amendment")
        DELETED = "deleted", _("Deleted")
        CONFIRMED = "confirmed", _("Confirmed by the seller")
        DISPUTED = "disputed", _("Disputed by the seller")

    record = models.ForeignKey(
        PurchaseRecord,
        verbose_name=_("Purchase record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    # Kept when the record itself is deleted, so the log still says which record it was.
    record_number = models.PositiveBigIntegerField(_("Record no."), db_index=True)
    action = models.CharField(_("Kind of change"), max_length=16, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("By"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("At"), auto_now_add=True)
    before = models.JSONField(_("Before"), default=dict, blank=True)
    after = models.JSONField(_("After"), default=dict, blank=True)
    reason = models.TextField(_("Reason for the change"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Record change")
        verbose_name_plural = _("Record changes")

    def __str__(self):
        return f"{self.record_number} {self.action}"


class PurchaseSummary(models.Model):
    """The current (not superseded) purchase records summed per half-month, county, buying unit, category and seller
    confirmation, in fen.

    Kept by database triggers on the purchase records (migration 0008), so every write — a form, an import, a paid
    order, a bulk update — changes it in the same transaction and it never lags behind the records. The office
    dashboard reads a year of it instead of a year of records.
    """

    period_start = models.DateField(_("Period start"))
    county_code = models.CharField(_("County code"), max_length=6)
    # The buying unit's id, 0 for purchases by individual helpers: a plain number, so that the triggers' upsert
    # finds the row (NULLs never conflict) and the summary never blocks deleting a unit.
    unit_key = models.BigIntegerField(_("Unit id (0 for individual helpers)"))
    category = models.CharField(_("Category"), max_length=16)
    confirmation = models.CharField(_("Seller confirmation"), max_length=16)
    # Whole fen: sums stay exact on every database backend.
    amount_fen = models.BigIntegerField(_("Amount in fen"), default=0)
    records = models.IntegerField(_("Records"), default=0)
    households = models.BigIntegerField(_("Households benefiting"), default=0)

    class Meta:
        verbose_name = _("Purchase summary")
        verbose_name_plural = _("Purchase summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "county_code", "unit_key", "category", "confirmation"],
                name="reports_purchase_summary_bucket",
            )
        ]

    def __str__(self):
        return f"{self.period_start} {self.county_code} {self.unit_key} {self.category} {self.confirmation}"
