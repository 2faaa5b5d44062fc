"""Writes of purchase records and half-month reports. Views, forms and commands call only these."""

from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts import roles
from reports import rollup, selectors
from reports.errors import IllegalTransition, NotAllowed, PeriodClosed, RecordLocked
from reports.models import (
    Category,
    Channel,
    Confirmation,
    HalfMonthReport,
    PaymentMethod,
    PurchaseRecord,
    RecordChange,
    ReportRecord,
    ReportStatus,
    SellerKind,
    Source,
    UnitOfMeasure,
    unit_of_measure_code,
)
from reports.periods import period_of
from suppliers.evidence import RECEIPT_TYPES, verify_upload
from suppliers.private_files import attach_private_upload

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
    """The verified type of a receipt (a JPEG or PNG photo, or a PDF); refused with the reason otherwise."""
    if upload is None:
        return None
    try:
        return verify_upload(upload, allowed=RECEIPT_TYPES, max_bytes=settings.REPORT_RECEIPT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"receipt": error.messages}) from error


# --- records -----------------------------------------------------------------------------------


def _check_may_register(*, user, unit, village, own_unit_ids=None):
    if user is None or user.is_superuser:
        return
    held = selectors.user_roles(user)
    if unit is not None and roles.UNIT in held:
        # A list page passes the person's units, read once, instead of a query per row.
        if unit.pk in own_unit_ids if own_unit_ids is not None else user.units.filter(pk=unit.pk).exists():
            return
    region = selectors.office_region(user)
    if roles.VILLAGE in held and region is not None and village is not None and region.contains(village):
        return
    raise NotAllowed(_("You may only register purchases for your own unit or your own village."))


CLOSED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)


def _body_key(report):
    return ("unit", report.unit_id) if report.unit_id else ("region", report.region_id)


def closing_reports(*, unit, village, purchased_on):
    """The submitted or approved reports that already hold the figures of the bodies counting a record on that date.

    Every body that would count the record (its unit, its village and each office above) is looked at through its
    latest report of the period: an amendment under way (draft or returned) reopens the period for that body, and a
    returned report reopens it until it is resubmitted. The unit's and the village's own reports come first.
    """
    if purchased_on is None:
        return []
    period = period_of(purchased_on)
    bodies = Q(unit=unit) if unit is not None else Q(pk__in=[])
    if village is not None:
        bodies |= Q(region__in=village.ancestors(include_self=True))
    latest = {}
    for report in HalfMonthReport.objects.filter(bodies, period_start=period.start).select_related("unit", "region"):
        key = _body_key(report)
        if key not in latest or report.pk > latest[key].pk:
            latest[key] = report
    closed = [report for report in latest.values() if report.status in CLOSED_STATUSES]
    return sorted(
        closed, key=lambda report: (report.unit_id is None, -len(report.region.prefix) if report.region_id else 0)
    )


def closing_report(*, unit, village, purchased_on):
    """The first of `closing_reports`, if any."""
    closed = closing_reports(unit=unit, village=village, purchased_on=purchased_on)
    return closed[0] if closed else None


def _check_period_open(*, unit, village, purchased_on):
    closed = closing_reports(unit=unit, village=village, purchased_on=purchased_on)
    if not closed:
        return
    names = "、".join(
        _("%(body)s (%(status)s)") % {"body": report.body, "status": ReportStatus(report.status).label}
        for report in closed
    )
    if any(report.status == ReportStatus.APPROVED for report in closed):
        how = _(
            "A late purchase goes into an amendment of that period: each of these bodies starts one from its "
            "report's page (“Start an amendment report”), then the purchase can be registered and is counted there."
        )
    else:
        how = _(
            "A report that is submitted but not yet approved takes no more purchases: ask the office above to "
            "return it, or, once it is approved, register the purchase in an amendment of that period."
        )
    raise PeriodClosed(
        _(
            "The %(period)s reports of %(names)s are already in, so no purchase dated in that period can be added or changed here."
        )
        % {"period": closed[0].period, "names": names}
        + " "
        + how,
        reports=closed,
    )


# --- the change log of records -----------------------------------------------------------------


def record_snapshot(record):
    """A record's values as a reader sees them, for the change log: names rather than ids, codes for choices."""
    values = {}
    for name in [*RECORD_FIELDS, "amount", "confirmation", "dispute_reason"]:
        value = getattr(record, name)
        if isinstance(value, models.Model):
            value = str(value)
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        values[name] = value
    return values


def log_change(*, record, user, action, before=None, after=None, reason=""):
    return RecordChange.objects.create(
        record=record,
        record_number=record.pk,
        action=action,
        changed_by=user if user is not None and user.is_authenticated else None,
        before=before or {},
        after=after or {},
        reason=reason,
    )


@transaction.atomic
def record_create(*, registered_by, source=Source.FORM, receipt=None, **fields):
    _check_may_register(user=registered_by, unit=fields.get("unit"), village=fields.get("village"))
    receipt_type = verify_receipt(receipt)
    record = PurchaseRecord(registered_by=registered_by, source=source, **fields)
    if receipt is not None:
        attach_private_upload(record, "receipt", receipt, receipt_type)
    record.full_clean()
    _check_period_open(unit=record.unit, village=record.village, purchased_on=record.purchased_on)
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
    if record.source == Source.ORDER:
        raise NotAllowed(_("A record made from an online order changes only with the order."))
    _check_unlocked(record)
    _check_may_register(user=user, unit=record.unit, village=record.village)
    if record.reported:
        raise RecordLocked(_("This record is in a submitted report; correct it with an amendment instead."))
    _check_period_open(unit=record.unit, village=record.village, purchased_on=record.purchased_on)
    before = record_snapshot(record)
    for name, value in changes.items():
        setattr(record, name, value)
    record.amount = None
    record.confirmation = Confirmation.UNCONFIRMED
    record.full_clean()
    _check_period_open(unit=record.unit, village=record.village, purchased_on=record.purchased_on)
    record.save()
    after = record_snapshot(record)
    if after != before:
        log_change(record=record, user=user, action=RecordChange.Action.UPDATED, before=before, after=after)
    return record


def may_change(user, record, *, own_unit_ids=None):
    """Whether this person may correct the record: who may register it, and never a record an order produced."""
    if record.source == Source.ORDER or record.superseded:
        return False
    try:
        _check_may_register(user=user, unit=record.unit, village=record.village, own_unit_ids=own_unit_ids)
    except NotAllowed:
        return False
    return True


@transaction.atomic
def record_delete(*, record, user):
    """Take back a record entered by mistake, only while no report has counted it."""
    record = PurchaseRecord.objects.select_for_update().get(pk=record.pk)
    if record.source == Source.ORDER:
        raise NotAllowed(_("A record made from an online order changes only with the order."))
    if record.reported or record.locked:
        raise RecordLocked(_("This record is in a submitted report; correct it with an amendment instead."))
    _check_unlocked(record)
    _check_may_register(user=user, unit=record.unit, village=record.village)
    _check_period_open(unit=record.unit, village=record.village, purchased_on=record.purchased_on)
    log_change(record=record, user=user, action=RecordChange.Action.DELETED, before=record_snapshot(record))
    # Only a returned report can still hold it (a submitted or approved one would have marked it reported); that
    # report binds its records afresh when it is resubmitted.
    ReportRecord.objects.filter(record=record).delete()
    record.delete()


@transaction.atomic
def record_amend(*, record, user, reason="", **changes):
    """Correct a reported record: a new record references it and takes its place in later reports.

    The original stays as it was, bound to the reports that counted it and marked as replaced; the amendment is
    counted by the next report (or amendment report) of its body and period, so the purchase counts once.
    """
    original = PurchaseRecord.objects.select_for_update().get(pk=record.pk)
    if original.superseded:
        raise RecordLocked(_("This record has already been replaced by an amendment."))
    if original.source == Source.ORDER:
        raise NotAllowed(_("A record made from an online order changes only with the order."))
    _check_may_register(user=user, unit=original.unit, village=original.village)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the reported purchase is corrected.")})
    fields = {name: getattr(original, name) for name in RECORD_FIELDS}
    fields.update(changes)
    amendment = PurchaseRecord(
        registered_by=user,
        source=original.source,
        amends=original,
        receipt=original.receipt,
        receipt_name=original.receipt_name,
        **fields,
    )
    amendment.full_clean()
    amendment.save()
    # The only change a locked record ever takes: it is marked as replaced.
    PurchaseRecord.objects.filter(pk=original.pk).update(superseded=True)
    before, after = record_snapshot(original), record_snapshot(amendment)
    log_change(
        record=original, user=user, action=RecordChange.Action.AMENDED, before=before, after=after, reason=reason
    )
    log_change(
        record=amendment, user=user, action=RecordChange.Action.AMENDMENT, before=before, after=after, reason=reason
    )
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
    before = {"confirmation": record.confirmation, "dispute_reason": record.dispute_reason}
    record.confirmation = confirmation
    record.dispute_reason = reason
    record.confirmed_by = user
    record.confirmed_at = timezone.now()
    record.save(update_fields=["confirmation", "dispute_reason", "confirmed_by", "confirmed_at"])
    action = RecordChange.Action.DISPUTED if confirmation == Confirmation.DISPUTED else RecordChange.Action.CONFIRMED
    log_change(
        record=record,
        user=user,
        action=action,
        before=before,
        after={"confirmation": record.confirmation, "dispute_reason": record.dispute_reason},
        reason=reason,
    )
    return record


def record_confirm(*, record, user):
    return _set_confirmation(record=record, user=user, confirmation=Confirmation.CONFIRMED)


def record_dispute(*, record, user, reason):
    if not reason.strip():
        raise ValidationError({"dispute_reason": _("Say why the purchase is disputed.")})
    return _set_confirmation(record=record, user=user, confirmation=Confirmation.DISPUTED, reason=reason)


ORDER_UNIT_OF_MEASURE = UnitOfMeasure.ITEM


def catalogue_entry(product):
    """The product that carries the catalogue facts (categories, origin, unit): a variant's parent."""
    if product is not None and product.parent_id is not None:
        return product.parent
    return product


def record_unit_of_measure(product):
    """The unit a product is sold in, as (code, text as written): a unit none of the known ones is kept as "other"
    with its text; a product that names none is counted in items (件)."""
    product = catalogue_entry(product)
    written = (product.sales_unit if product is not None else "").strip()
    if not written:
        return ORDER_UNIT_OF_MEASURE, ""
    code = unit_of_measure_code(written)
    if code is None or code == UnitOfMeasure.OTHER:
        return UnitOfMeasure.OTHER, written[:16]
    return code, ""


def record_origin(product, partner):
    """Where a product really comes from: its own origin, else its supplier's registered region."""
    product = catalogue_entry(product)
    origin = product.origin if product is not None else None
    return origin or (partner.region if partner is not None else None)


def record_category(product):
    """The report category of a catalogue product, from its top-level category's slug (REPORT_CATEGORY_OF_SLUG)."""
    product = catalogue_entry(product)
    if product is None:
        return Category.OTHER
    mapping = settings.REPORT_CATEGORY_OF_SLUG
    for category in product.categories.all():
        root_slug = category.slug if category.depth == 1 else category.get_root().slug
        code = mapping.get(root_slug, root_slug)
        if code in Category.values:
            return code
    return Category.OTHER


@transaction.atomic
def records_from_order(*, order):
    """A paid unit order becomes purchase records, one per line; nobody types it again."""
    if order.unit_id is None:
        return []
    Line = get_model("order", "Line")
    lines = (
        Line.objects.filter(order=order, purchase_record__isnull=True)
        .select_related("partner__region", "product__origin", "product__parent__origin")
        .prefetch_related("product__categories", "product__parent__categories")
    )
    purchased_on = timezone.localdate(order.date_placed or timezone.now())
    fallback_village = order.unit.paired_villages.first() or order.unit.region
    if closing_report(unit=order.unit, village=None, purchased_on=purchased_on) is not None:
        # The unit's report for the day the order was placed is already in; the purchase counts on the day it was
        # paid, so frozen figures stay true.
        purchased_on = timezone.localdate()
    records = []
    for line in lines:
        product = line.product
        village = record_origin(product, line.partner)
        unit_of_measure, unit_of_measure_text = record_unit_of_measure(product)
        record = PurchaseRecord(
            unit=order.unit,
            village=village or fallback_village,
            seller_kind=SellerKind.SUPPLIER,
            supplier=line.partner,
            seller_name=line.partner_name,
            product=product,
            product_name=line.title[:128],
            category=record_category(product),
            quantity=Decimal(line.quantity),
            # A code, the same whatever the language of the person whose action paid the order.
            unit_of_measure=unit_of_measure,
            unit_of_measure_text=unit_of_measure_text,
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
    if period.start > timezone.localdate():
        raise ValidationError(
            _("The period %(period)s has not begun; its report cannot be started yet.") % {"period": period}
        )
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


def bound_records(report):
    """The records a submitted report counted (none for a report never submitted)."""
    return PurchaseRecord.objects.filter(report_links__report=report)


def _bind(report):
    """Bind the body's current records of the period to the report, replacing an earlier binding; return them."""
    ReportRecord.objects.filter(report=report).delete()
    ids = body_records(report).values_list("pk", flat=True).order_by("pk")
    ReportRecord.objects.bulk_create(
        (ReportRecord(report=report, record_id=pk) for pk in ids.iterator(chunk_size=5000)), batch_size=5000
    )
    return bound_records(report)


def _unmark_unreported(records):
    """Records no longer counted by any submitted or approved report may again be corrected in place."""
    records.exclude(report_links__report__status__in=CLOSED_STATUSES).update(reported=False)


@transaction.atomic
def report_submit(*, report, user, note=None):
    """Submit (or resubmit) a report: it binds the records it counts and freezes the figures of exactly those.

    An office's report over a reconciliation line that is not zero, or over a report below that is missing or
    returned, needs the preparer's explanation (`note`), which the reviewer reads on the report page.
    """
    from reports import reconciliation

    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if not may_prepare(user, unit=report.unit, region=report.region):
        raise NotAllowed(_("You may only submit the reports of your own unit or office."))
    if report.period_end > timezone.localdate():
        raise ValidationError(
            _("The period %(period)s ends on %(end)s; its report can be submitted from that day on.")
            % {"period": report.period, "end": report.period_end.isoformat()}
        )
    target = ReportStatus.RESUBMITTED if report.status == ReportStatus.RETURNED else ReportStatus.SUBMITTED
    report.set_status(to=target, by=user)
    records = _bind(report)
    report.figures = rollup.as_json(rollup.figures(records))
    # The disputes the reviewer reads are those of the records counted, as they stood: a later dispute or amendment
    # changes neither the figures nor the list beside them.
    disputes, disputes_more = rollup.dispute_list(records)
    report.figures["disputes"] = rollup.disputes_as_json(disputes)
    report.figures["disputes_more"] = disputes_more
    if note is not None:
        report.submission_note = note.strip()
    report.prepared_by = user
    report.submitted_at = timezone.now()
    report.save()
    result = reconciliation.reconcile(report)
    if result is not None and result.needs_explanation and not report.submission_note:
        raise ValidationError({"submission_note": result.explanation_asked()})
    records.filter(reported=False).update(reported=True)
    from reports.tasks import report_email_send

    # The workbook is built by the worker, not in the request that submits.
    transaction.on_commit(partial(report_email_send.enqueue, report_id=report.pk), robust=True)
    return report


@transaction.atomic
def report_approve(*, report, user, comment=""):
    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if not may_review(user, report):
        raise NotAllowed(_("Only the office above may approve this report, and never its own preparer."))
    from reports import reconciliation

    result = reconciliation.reconcile(report)
    if result is not None and result.needs_explanation and not report.submission_note:
        raise NotAllowed(result.approval_refused())
    report.set_status(to=ReportStatus.APPROVED, by=user, reason=comment)
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save()
    # Exactly what the submission counted, not whatever lies in the date range now.
    bound_records(report).filter(locked=False).update(locked=True)
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
    # The period reopens for this body: its records may be corrected until it is resubmitted (and bound afresh).
    _unmark_unreported(bound_records(report))
    return report


@transaction.atomic
def report_amend(*, report, user):
    """A correction to an approved report: a new report that references it, reviewed the same way."""
    report = HalfMonthReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise IllegalTransition(_("Only an approved report is corrected by an amendment; edit the report itself."))
    if not may_prepare(user, unit=report.unit, region=report.region):
        raise NotAllowed(_("You may only amend the reports of your own unit or office."))
    later = HalfMonthReport.objects.filter(
        unit=report.unit, region=report.region, period_start=report.period_start, pk__gt=report.pk
    )
    if later.exists():
        raise IllegalTransition(
            _("This report already has a later amendment; open the latest report of the period to amend it.")
        )
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


def record_period_check(*, unit, village, purchased_on):
    """Refuse (RecordLocked, with the way to proceed) a record dated in a period whose report is already in; the form's
    service and the import ask the same question."""
    _check_period_open(unit=unit, village=village, purchased_on=purchased_on)
