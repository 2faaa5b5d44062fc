"""Writes of purchase records and half-month reports. Views, forms and commands call only these."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from PIL import Image

from accounts import roles
from reports import rollup, selectors
from reports.errors import IllegalTransition, NotAllowed, RecordLocked
from reports.models import (
    Category,
    Channel,
    Confirmation,
    HalfMonthReport,
    PaymentMethod,
    PurchaseRecord,
    ReportStatus,
    SellerKind,
    Source,
)
from reports.periods import period_of

RECORD_FIELDS = [
    "unit",
    "helper",
    "helper_name",
    "village",
    "seller_kind",
    "supplier",
    "seller_name",
    "product",
    "product_name",
    "category",
    "quantity",
    "unit_of_measure",
    "unit_price",
    "households_benefiting",
    "purchased_on",
    "channel",
    "payment_method",
]


def verify_receipt(upload):
    """Refuse a receipt that is too large or is not an image Pillow can read."""
    if upload is None:
        return
    if upload.size > settings.REPORT_RECEIPT_MAX_BYTES:
        raise ValidationError(
            {
                "receipt": _("The receipt photo is larger than %(mb)s MB.")
                % {"mb": settings.REPORT_RECEIPT_MAX_BYTES // 2**20}
            }
        )
    try:
        upload.seek(0)
        Image.open(upload).verify()
    except Exception as error:
        raise ValidationError({"receipt": _("The receipt is not a readable image (JPEG or PNG).")}) from error
    finally:
        upload.seek(0)


# --- records -----------------------------------------------------------------------------------


def _check_may_register(*, user, unit, village):
    if user is None or user.is_superuser:
        return
    held = selectors.user_roles(user)
    if unit is not None and roles.UNIT in held and user.units.filter(pk=unit.pk).exists():
        return
    region = selectors.office_region(user)
    if roles.VILLAGE in held and region is not None and village is not None and region.contains(village):
        return
    raise NotAllowed(_("You may only register purchases for your own unit or your own village."))


@transaction.atomic
def record_create(*, registered_by, source=Source.FORM, receipt=None, **fields):
    _check_may_register(user=registered_by, unit=fields.get("unit"), village=fields.get("village"))
    verify_receipt(receipt)
    record = PurchaseRecord(registered_by=registered_by, source=source, **fields)
    if receipt is not None:
        record.receipt = receipt
    record.full_clean()
    record.save()
    return record


def _check_unlocked(record):
    if record.locked:
        raise RecordLocked(_("This record is in an approved report and is locked; correct it with an amendment."))
    if record.superseded:
        raise RecordLocked(_("This record has been replaced by an amendment."))


@transaction.atomic
def record_update(*, record, user, **changes):
    record = PurchaseRecord.objects.select_for_update().get(pk=record.pk)
    _check_unlocked(record)
    _check_may_register(user=user, unit=record.unit, village=record.village)
    for name, value in changes.items():
        setattr(record, name, value)
    record.amount = None
    record.confirmation = Confirmation.UNCONFIRMED
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_amend(*, record, user, **changes):
    """Correct a reported record: a new record references it and takes its place in later reports."""
    original = PurchaseRecord.objects.select_for_update().get(pk=record.pk)
    if original.superseded:
        raise RecordLocked(_("This record has already been replaced by an amendment."))
    _check_may_register(user=user, unit=original.unit, village=original.village)
    fields = {name: getattr(original, name) for name in RECORD_FIELDS}
    fields.update(changes)
    amendment = PurchaseRecord(
        registered_by=user, source=original.source, amends=original, receipt=original.receipt, **fields
    )
    amendment.full_clean()
    amendment.save()
    # The only change a locked record ever takes: it is marked as replaced.
    PurchaseRecord.objects.filter(pk=original.pk).update(superseded=True)
    return amendment


def may_confirm(user, record):
    """Supplier staff confirm records naming their supplier; the village clerk confirms household sellers."""
    if user.is_superuser:
        return True
    held = selectors.user_roles(user)
    if record.seller_kind == SellerKind.SUPPLIER:
        return roles.SUPPLIER in held and record.supplier.users.filter(pk=user.pk).exists()
    region = selectors.office_region(user)
    return roles.VILLAGE in held and region is not None and region.contains(record.village)


@transaction.atomic
def _set_confirmation(*, record, user, confirmation, reason=""):
    record = PurchaseRecord.objects.select_for_update().get(pk=record.pk)
    _check_unlocked(record)
    if not may_confirm(user, record):
        raise NotAllowed(_("Only the seller side of this purchase may confirm or dispute it."))
    record.confirmation = confirmation
    record.dispute_reason = reason
    record.confirmed_by = user
    record.confirmed_at = timezone.now()
    record.save(update_fields=["confirmation", "dispute_reason", "confirmed_by", "confirmed_at"])
    return record


def record_confirm(*, record, user):
    return _set_confirmation(record=record, user=user, confirmation=Confirmation.CONFIRMED)


def record_dispute(*, record, user, reason):
    if not reason.strip():
        raise ValidationError({"dispute_reason": _("Say why the purchase is disputed.")})
    return _set_confirmation(record=record, user=user, confirmation=Confirmation.DISPUTED, reason=reason)


@transaction.atomic
def records_from_order(*, order):
    """A paid unit order becomes purchase records, one per line; nobody types it again."""
    if order.unit_id is None:
        return []
    Line = get_model("order", "Line")
    lines = Line.objects.filter(order=order, purchase_record__isnull=True).select_related(
        "partner__region", "product__origin"
    )
    purchased_on = timezone.localdate(order.date_placed or timezone.now())
    fallback_village = order.unit.paired_villages.first() or order.unit.region
    records = []
    for line in lines:
        product = line.product
        village = (getattr(product, "origin", None) if product else None) or (
            line.partner.region if line.partner else None
        )
        record = PurchaseRecord(
            unit=order.unit,
            village=village or fallback_village,
            seller_kind=SellerKind.SUPPLIER,
            supplier=line.partner,
            seller_name=line.partner_name,
            product=product,
            product_name=line.title[:128],
            category=Category.OTHER,
            quantity=Decimal(line.quantity),
            unit_of_measure=_("piece"),
            unit_price=line.unit_price_incl_tax,
            amount=line.line_price_incl_tax,
            purchased_on=purchased_on,
            channel=Channel.ONLINE,
            payment_method=PaymentMethod.ONLINE,
            source=Source.ORDER,
            confirmation=Confirmation.CONFIRMED,
            order_line=line,
            registered_by=order.user,
        )
        records.append(record)
    return PurchaseRecord.objects.bulk_create(records)


# --- reports -----------------------------------------------------------------------------------


def may_prepare(user, *, unit=None, region=None):
    if user.is_superuser:
        return True
    held = selectors.user_roles(user)
    if unit is not None:
        return roles.UNIT in held and user.units.filter(pk=unit.pk).exists()
    return user.region_id == region.pk and selectors.REGION_ROLE_OF_LEVEL.get(region.level) in held


def may_review(user, report):
    if report.prepared_by_id == user.pk:
        return False
    office = selectors.reviewer_region(report)
    if office is None:
        return False
    return user.region_id == office.pk and selectors.REGION_ROLE_OF_LEVEL.get(office.level) in selectors.user_roles(
        user
    )


def report_for(*, user, period, unit=None, region=None):
    """The draft (or current) report of a body for a period, started if need be."""
    if not may_prepare(user, unit=unit, region=region):
        raise NotAllowed(_("You may only prepare the reports of your own unit or office."))
    report, _created = HalfMonthReport.objects.get_or_create(
        unit=unit,
        region=region,
        period_start=period.start,
        amends=None,
        defaults={"period_end": period.end, "prepared_by": user},
    )
    return report


def body_records(report):
    return selectors.records_for_body(body=report.body, period=report.period)


@transaction.atomic
def report_submit(*, report, user):
    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if not may_prepare(user, unit=report.unit, region=report.region):
        raise NotAllowed(_("You may only submit the reports of your own unit or office."))
    target = ReportStatus.RESUBMITTED if report.status == ReportStatus.RETURNED else ReportStatus.SUBMITTED
    report.set_status(to=target, by=user)
    records = body_records(report)
    report.figures = rollup.as_json(rollup.figures(records))
    report.prepared_by = user
    report.submitted_at = timezone.now()
    report.save()
    records.filter(reported=False).update(reported=True)
    from reports.outputs import send_report_email

    transaction.on_commit(lambda: send_report_email(report=report))
    return report


@transaction.atomic
def report_approve(*, report, user, comment=""):
    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if not may_review(user, report):
        raise NotAllowed(_("Only the office above may approve this report, and never its own preparer."))
    report.set_status(to=ReportStatus.APPROVED, by=user, reason=comment)
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save()
    body_records(report).update(locked=True, reported=True)
    return report


@transaction.atomic
def report_return(*, report, user, comment):
    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected before returning the report.")})
    if not may_review(user, report):
        raise NotAllowed(_("Only the office above may return this report, and never its own preparer."))
    report.set_status(to=ReportStatus.RETURNED, by=user, reason=comment)
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save()
    return report


@transaction.atomic
def report_amend(*, report, user):
    """A correction to an approved report: a new report that references it, reviewed the same way."""
    if report.status != ReportStatus.APPROVED:
        raise IllegalTransition(_("Only an approved report is corrected by an amendment; edit the report itself."))
    if not may_prepare(user, unit=report.unit, region=report.region):
        raise NotAllowed(_("You may only amend the reports of your own unit or office."))
    return HalfMonthReport.objects.create(
        unit=report.unit,
        region=report.region,
        period_start=report.period_start,
        period_end=report.period_end,
        amends=report,
        prepared_by=user,
    )


def default_period():
    """The period most recently ended, which is the one due for reporting."""
    return period_of(timezone.localdate()).previous()
