"""Writes of the certification workflow: the township's first check, review by the county office, public notice
and objections, publication, revocation, expiry reminders and renewal."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.errors import BadRequest, Refusal
from suppliers.evidence import validate_evidence
from suppliers.private_files import attach_private_upload

from .models import (
    CatalogueBatch,
    CertificateCounter,
    CertificateReminder,
    CertificationRules,
    CertificationStatus,
    ChangeRequest,
    ChangeRequestStatus,
    HouseholdLink,
    Objection,
    ObjectionStatus,
    Partner,
    PriceChange,
    PriceChangeStatus,
    ProductCertification,
    ProductSource,
    SupplierCertification,
)
from .selectors import product_is_certified, supplier_is_certified


class CertificationPermissionDenied(Refusal):
    """The user may not decide on this certification."""


class CertificationError(BadRequest):
    """A decision that cannot be taken as asked (a missing reason, for instance)."""


def supplier_county(certification):
    region = certification.partner.region
    return region.ancestor_at("county") if region else None


def ensure_reviewer(*, certification, reviewer):
    """Only staff of the county office of the supplier's county review its certifications."""
    county = supplier_county(certification)
    in_office = reviewer.groups.filter(name=roles.COUNTY).exists()
    if not (in_office and county and reviewer.region_id == county.pk):
        raise CertificationPermissionDenied(
            _("Only the poverty office of %(county)s reviews this certification.") % {"county": county or "—"}
        )
    return county


def rules_of(county):
    """The county's certification rules (an unsaved default when the county has none)."""
    if county is None:
        return CertificationRules()
    return CertificationRules.objects.filter(county=county).first() or CertificationRules(county=county)


def first_status(partner):
    """Where a new application starts: with the township clerk where the county asks for a first check."""
    region = partner.region
    county = region.ancestor_at("county") if region else None
    township_check = rules_of(county).township_check and region is not None and region.level in ("township", "village")
    return CertificationStatus.TOWNSHIP if township_check else CertificationStatus.PENDING


def notice_days(county):
    return rules_of(county).notice_days or settings.CERTIFICATION_NOTICE_DAYS


def ensure_township_clerk(*, certification, clerk):
    """Only a township clerk of the supplier's township makes the first check of its applications."""
    region = certification.partner.region
    township = region.ancestor_at("township") if region and region.level in ("township", "village") else None
    in_office = clerk.groups.filter(name=roles.TOWNSHIP).exists()
    if not (in_office and township and clerk.region_id == township.pk):
        raise CertificationPermissionDenied(
            _("Only the township clerk of %(township)s checks this application.") % {"township": township or "—"}
        )
    return township


@transaction.atomic
def certification_township_pass(*, certification, clerk, note=""):
    """The township found the application in order: it goes on to the county office."""
    ensure_township_clerk(certification=certification, clerk=clerk)
    certification = type(certification).objects.select_for_update().get(pk=certification.pk)
    reason = _("Passed the township's first check.")
    if (note or "").strip():
        reason = f"{reason} {note.strip()}"
    certification.set_status(to=CertificationStatus.PENDING, by=clerk, reason=reason)
    return certification


@transaction.atomic
def certification_township_return(*, certification, clerk, reason):
    """The township found a problem: the application goes back to the supplier with the reason."""
    if not (reason or "").strip():
        raise CertificationError(_("Say why the application is sent back; the supplier will see it."))
    ensure_township_clerk(certification=certification, clerk=clerk)
    certification = type(certification).objects.select_for_update().get(pk=certification.pk)
    certification.reason = reason.strip()
    certification.decided_by = clerk
    certification.decided_at = timezone.now()
    certification.set_status(to=CertificationStatus.REJECTED, by=clerk, reason=certification.reason)
    return certification


def next_certificate_number(*, county, year):
    """County code, year and a serial number drawn under a row lock, e.g. 430822-2020-0007."""
    counter, _created = CertificateCounter.objects.get_or_create(county=county, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    while True:
        counter.last_number += 1
        number = f"{county.code[:6]}-{year}-{counter.last_number:04d}"
        # Numbers entered before the counter existed (imported or loaded records) are skipped, never reissued.
        if not (
            ProductCertification.objects.filter(certificate_number=number).exists()
            or SupplierCertification.objects.filter(certificate_number=number).exists()
        ):
            break
    counter.save(update_fields=["last_number"])
    return number


def open_batch(*, county, on):
    """The county's batch still on public notice, or a new one with the next number of the year.

    Products approved while a batch is on notice join it (one 第N批 per notice period, not one per product); the
    batch's notice is lengthened so that the product approved last is on notice for the full period too.
    """
    notice_ends_on = on + timedelta(days=notice_days(county))
    batch = (
        CatalogueBatch.objects.select_for_update()
        .filter(
            county=county, year=on.year, published_on__isnull=True, notice_starts_on__lte=on, notice_ends_on__gte=on
        )
        .order_by("-number")
        .first()
    )
    if batch:
        if batch.notice_ends_on < notice_ends_on:
            batch.notice_ends_on = notice_ends_on
            batch.save(update_fields=["notice_ends_on"])
        return batch
    last = (
        CatalogueBatch.objects.select_for_update()
        .filter(county=county, year=on.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return CatalogueBatch.objects.create(
        county=county,
        year=on.year,
        number=(last or 0) + 1,
        notice_starts_on=on,
        notice_ends_on=notice_ends_on,
    )


def ensure_price_proof(certification):
    if not certification.has_price_proof:
        raise CertificationError(
            _(
                "Give the price proof: the reference price, where it was seen (another channel, a contract or an "
                "invoice) and the shop and date or the document's number."
            )
        )


@transaction.atomic
def certification_approve(*, certification, reviewer, on=None):
    """Approve: a supplier is certified at once; a product goes on public notice in a numbered batch."""
    on = on or timezone.localdate()
    county = ensure_reviewer(certification=certification, reviewer=reviewer)
    certification = type(certification).objects.select_for_update().get(pk=certification.pk)
    if isinstance(certification, ProductCertification) and not certification.has_price_proof:
        raise CertificationError(
            _(
                "%(product)s has no price proof (a reference price, its source and where it comes from), so it "
                "cannot be approved. Reject the application with this reason; the supplier applies again with it."
            )
            % {"product": certification.product.title}
        )
    certification.certificate_number = next_certificate_number(county=county, year=on.year)
    certification.certifying_office = county
    certification.decided_by = reviewer
    certification.decided_at = timezone.now()
    certification.reason = ""
    if isinstance(certification, ProductCertification):
        certification.batch = open_batch(county=county, on=on)
        new_status = CertificationStatus.NOTICE
    else:
        certification.valid_from = validity_start(certification, on)
        certification.valid_until = validity_end(certification.valid_from)
        new_status = CertificationStatus.CERTIFIED
    certification.set_status(to=new_status, by=reviewer, reason=_("Approved by the county office."))
    return certification


def validity_start(certification, on):
    """A renewal takes over the day after the certificate it renews ends, so no day of validity is lost or doubled."""
    renewed = certification.renews
    if renewed is not None and renewed.status == CertificationStatus.CERTIFIED and renewed.valid_until >= on:
        return renewed.valid_until + timedelta(days=1)
    return on


def validity_end(start):
    years = settings.CERTIFICATION_VALIDITY_YEARS
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


@transaction.atomic
def certification_reject(*, certification, reviewer, reason):
    if not (reason or "").strip():
        raise CertificationError(_("Say why the application is rejected; the supplier will see it."))
    ensure_reviewer(certification=certification, reviewer=reviewer)
    certification.reason = reason.strip()
    certification.decided_by = reviewer
    certification.decided_at = timezone.now()
    certification.set_status(to=CertificationStatus.REJECTED, by=reviewer, reason=certification.reason)
    return certification


def ensure_revoker(*, certification, reviewer):
    """The county office of the supplier's county, or the city office above it, may revoke a certificate."""
    region = certification.partner.region
    held = set(reviewer.groups.values_list("name", flat=True))
    office = reviewer.region
    if region is not None and office is not None:
        if roles.COUNTY in held and office.level == "county" and office.contains(region):
            return office
        if roles.CITY in held and office.level == "city" and office.contains(region):
            return office
    raise CertificationPermissionDenied(
        _("Only the poverty offices over the supplier's county revoke its certificates.")
    )


def supplier_addresses(partner):
    emails = {email for email in partner.users.filter(is_active=True).values_list("email", flat=True) if email}
    if partner.contact_email:
        emails.add(partner.contact_email)
    return sorted(emails)


def notify_supplier(*, partner, subject, body):
    """E-mail the supplier's staff and contact; the queued backend sends it from the task worker after commit."""
    emails = supplier_addresses(partner)
    if emails:
        get_connection().send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, emails)])
    return len(emails)


def certificate_label(certification):
    if isinstance(certification, ProductCertification):
        return _("the certificate of %(product)s") % {"product": certification.product.title}
    return _("the supplier certificate of %(supplier)s") % {"supplier": certification.partner.display_name}


@transaction.atomic
def certification_revoke(*, certification, reviewer, reason):
    """Revoke for a violation or a quality failure: selling stops at once, the supplier is told, history stays."""
    if not (reason or "").strip():
        raise CertificationError(_("Say why the certification is revoked."))
    office = ensure_revoker(certification=certification, reviewer=reviewer)
    certification = type(certification).objects.select_for_update().get(pk=certification.pk)
    certification.reason = reason.strip()
    certification.decided_by = reviewer
    certification.decided_at = timezone.now()
    certification.set_status(to=CertificationStatus.REVOKED, by=reviewer, reason=certification.reason)
    with translation.override(settings.LANGUAGE_CODE):
        label = certificate_label(certification)
        notify_supplier(
            partner=certification.partner,
            subject=_("Certificate revoked: %(certificate)s")
            % {"certificate": certification.certificate_number or "—"},
            body=_(
                "%(office)s has revoked %(label)s (number %(number)s). Its products can no longer be bought on the "
                "platform.\n\nReason: %(reason)s\n\nYou can read the decision under 认定管理 in the back office."
            )
            % {
                "office": office.name,
                "label": label,
                "number": certification.certificate_number or "—",
                "reason": certification.reason,
            },
        )
    return certification


@transaction.atomic
def certification_reapply(*, certification, user):
    if isinstance(certification, ProductCertification):
        ensure_price_proof(certification)
    certification.applied_by = user
    certification.applied_at = timezone.now()
    certification.set_status(to=first_status(certification.partner), by=user, reason=_("Applied again."))
    return certification


class BatchNotReady(BadRequest):
    """A batch that cannot be published yet (notice still running, an objection unanswered)."""


def publish_batch(*, batch, on, by):
    """Certify the batch's products still on notice; returns how many. The caller holds the batch's row lock."""
    published = 0
    for certification in batch.certifications.filter(status=CertificationStatus.NOTICE).select_related("renews"):
        certification.valid_from = validity_start(certification, on)
        certification.valid_until = validity_end(certification.valid_from)
        certification.set_status(
            to=CertificationStatus.CERTIFIED,
            by=by,
            reason=_("Published in batch %(number)s of %(year)s after public notice.")
            % {"number": batch.number, "year": batch.year},
        )
        published += 1
    batch.published_on = on
    batch.save(update_fields=["published_on"])
    return published


def ensure_batch_office(*, batch, reviewer):
    in_office = reviewer.groups.filter(name=roles.COUNTY).exists()
    if not (in_office and reviewer.region_id == batch.county_id):
        raise CertificationPermissionDenied(
            _("Only the poverty office of %(county)s decides on this batch.") % {"county": batch.county}
        )


@transaction.atomic
def batch_publish(*, batch, reviewer, on=None):
    """The county office publishes a batch whose notice has ended; refused while an objection waits for an answer."""
    on = on or timezone.localdate()
    ensure_batch_office(batch=batch, reviewer=reviewer)
    batch = CatalogueBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.published_on:
        raise BatchNotReady(_("This batch was published on %(date)s.") % {"date": f"{batch.published_on:%Y-%m-%d}"})
    if batch.notice_ends_on >= on:
        raise BatchNotReady(
            _("The public notice of this batch runs until %(date)s; it can be published after that day.")
            % {"date": f"{batch.notice_ends_on:%Y-%m-%d}"}
        )
    waiting = batch.objections.filter(status=ObjectionStatus.OPEN).count()
    if waiting:
        raise BatchNotReady(
            _("%(count)s objection(s) to this batch have not been answered; answer them before publishing it.")
            % {"count": waiting}
        )
    return publish_batch(batch=batch, on=on, by=reviewer)


@transaction.atomic
def certifications_daily(*, on=None):
    """Publish the batches whose notice has ended and that have no unanswered objection, and expire certifications
    past their validity. Idempotent."""
    on = on or timezone.localdate()
    published = 0
    due = CatalogueBatch.objects.select_for_update().filter(published_on__isnull=True, notice_ends_on__lt=on)
    for batch in due.exclude(objections__status=ObjectionStatus.OPEN):
        published += publish_batch(batch=batch, on=on, by=None)
    expired = 0
    for model in (SupplierCertification, ProductCertification):
        for certification in model.objects.filter(status=CertificationStatus.CERTIFIED, valid_until__lt=on):
            certification.set_status(
                to=CertificationStatus.EXPIRED, by=None, reason=_("The validity period has ended.")
            )
            expired += 1
    return published, expired


@transaction.atomic
def product_certification_apply(
    *,
    user,
    partner,
    product,
    business_licence=None,
    commitment_letter=None,
    reference_price=None,
    reference_source="",
    reference_note="",
):
    """A supplier's staff apply for one of the supplier's products, with the evidence files and the price proof."""
    if not partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionDenied(_("You can only apply for your own supplier's products."))
    if not partner.stockrecords.filter(product=product).exists():
        raise CertificationError(_("This product is not one the supplier sells."))
    if ProductCertification.objects.filter(
        product=product,
        status__in=[
            CertificationStatus.TOWNSHIP,
            CertificationStatus.PENDING,
            CertificationStatus.NOTICE,
            CertificationStatus.CERTIFIED,
        ],
    ).exists():
        raise CertificationError(_("This product already has an application under way or a valid certification."))
    application = ProductCertification(
        product=product,
        partner=partner,
        applied_by=user,
        reference_price=reference_price,
        reference_source=reference_source or "",
        reference_note=(reference_note or "").strip(),
    )
    ensure_price_proof(application)
    return _save_application(application, business_licence, commitment_letter)


@transaction.atomic
def supplier_certification_apply(*, user, partner, business_licence=None, commitment_letter=None):
    """A supplier's staff ask their county office to certify the supplier itself."""
    if not partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionDenied(_("You can only apply for your own supplier."))
    if partner.region_id is None or not partner.credit_code:
        raise CertificationError(
            _("Fill in the supplier's unified social credit code and region in its profile before applying.")
        )
    if SupplierCertification.objects.filter(
        partner=partner,
        status__in=[CertificationStatus.TOWNSHIP, CertificationStatus.PENDING, CertificationStatus.CERTIFIED],
    ).exists():
        raise CertificationError(_("The supplier already has an application under way or a valid certification."))
    return _save_application(
        SupplierCertification(partner=partner, applied_by=user), business_licence, commitment_letter
    )


def _save_application(certification, business_licence, commitment_letter):
    """Check the evidence files and save a new application with them, at the township or the county office."""
    for field, upload in (("business_licence", business_licence), ("commitment_letter", commitment_letter)):
        if upload is not None:
            attach_private_upload(certification, field, upload, validate_evidence(upload))
    certification.status = first_status(certification.partner)
    certification.full_clean(exclude=["certificate_number"])
    certification.save()
    return certification


UNDER_WAY = [CertificationStatus.TOWNSHIP, CertificationStatus.PENDING, CertificationStatus.NOTICE]


def renewal_opens_on(certification):
    return certification.valid_until - timedelta(days=max(settings.CERTIFICATION_REMINDER_DAYS))


@transaction.atomic
def certification_renew(
    *,
    certification,
    user,
    business_licence=None,
    commitment_letter=None,
    reference_price=None,
    reference_source="",
    reference_note="",
):
    """Apply to renew a certificate that expires soon or has expired, with new evidence files or the ones on file.

    A product's renewal carries a price proof: the one given, or else the certificate's. The renewal is reviewed like
    a first application; once certified it takes over the day after the old one ends.
    """
    partner = certification.partner
    if not partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionDenied(_("You can only renew your own supplier's certificates."))
    today = timezone.localdate()
    renewable = certification.status == CertificationStatus.EXPIRED or (
        certification.status == CertificationStatus.CERTIFIED and renewal_opens_on(certification) <= today
    )
    if not renewable:
        raise CertificationError(
            _("A certificate can be renewed from %(days)s days before it expires, or after it has expired.")
            % {"days": max(settings.CERTIFICATION_REMINDER_DAYS)}
        )
    model = type(certification)
    if model.objects.filter(renews=certification, status__in=UNDER_WAY).exists():
        raise CertificationError(_("A renewal of this certificate is already under review."))
    renewal = model(partner=partner, applied_by=user, renews=certification)
    if isinstance(certification, ProductCertification):
        renewal.product = certification.product
        if reference_price is not None:
            renewal.reference_price = reference_price
            renewal.reference_source = reference_source or ""
            renewal.reference_note = (reference_note or "").strip()
        else:
            renewal.reference_price = certification.reference_price
            renewal.reference_source = certification.reference_source
            renewal.reference_note = certification.reference_note
        ensure_price_proof(renewal)
    uploads = {"business_licence": business_licence, "commitment_letter": commitment_letter}
    for field, upload in uploads.items():
        if upload is None and getattr(certification, field):
            # The evidence on file is kept: the renewal points at the same private file.
            setattr(renewal, field, getattr(certification, field).name)
            setattr(renewal, f"{field}_name", getattr(certification, f"{field}_name"))
    return _save_application(renewal, business_licence, commitment_letter)


# --- Objections during public notice (异议) ---


class ObjectionError(BadRequest):
    """An objection that cannot be raised or answered as sent."""


def batch_in_notice(batch, on):
    return batch.published_on is None and batch.notice_starts_on <= on <= batch.notice_ends_on


@transaction.atomic
def objection_submit(*, batch, name, contact, reason, certification=None, on=None):
    """Anyone may object to a batch (or one of its products) while its notice runs; the county office answers."""
    on = on or timezone.localdate()
    if not batch_in_notice(batch, on):
        raise ObjectionError(_("The public notice of this batch has ended; objections are no longer taken."))
    if certification is not None and certification.batch_id != batch.pk:
        raise ObjectionError(_("This product is not in the batch."))
    objection = Objection(
        batch=batch,
        certification=certification,
        name=(name or "").strip(),
        contact=(contact or "").strip(),
        reason=(reason or "").strip(),
    )
    try:
        objection.full_clean()
    except ValidationError as error:
        raise ObjectionError(" ".join(error.messages)) from error
    objection.save()
    return objection


@transaction.atomic
def objection_answer(*, objection, reviewer, answer, uphold):
    """The county office answers; an upheld objection withdraws the product it names from the batch."""
    if not (answer or "").strip():
        raise ObjectionError(_("Write the answer; it is kept with the objection."))
    objection = Objection.objects.select_for_update().select_related("batch").get(pk=objection.pk)
    ensure_batch_office(batch=objection.batch, reviewer=reviewer)
    if not objection.is_open:
        raise ObjectionError(_("This objection has already been answered."))
    objection.answer = answer.strip()
    objection.answered_by = reviewer
    objection.answered_at = timezone.now()
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.save()
    certification = objection.certification
    if uphold and certification is not None and certification.status == CertificationStatus.NOTICE:
        certification.reason = objection.answer
        certification.set_status(
            to=CertificationStatus.REVOKED,
            by=reviewer,
            reason=_("Withdrawn after an objection during public notice: %(answer)s") % {"answer": objection.answer},
        )
    return objection


# --- Expiry reminders ---


def certificate_reminders_send(*, on=None):
    """E-mail suppliers whose certificates expire within 60 or 30 days, once per certificate and threshold.

    A certificate already being renewed is not reminded. Returns how many reminders were sent.
    """
    on = on or timezone.localdate()
    thresholds = sorted(settings.CERTIFICATION_REMINDER_DAYS)
    sent = 0
    for model, field in (
        (SupplierCertification, "supplier_certification"),
        (ProductCertification, "product_certification"),
    ):
        due = (
            model.objects.filter(
                status=CertificationStatus.CERTIFIED,
                valid_until__gte=on,
                valid_until__lte=on + timedelta(days=thresholds[-1]),
            )
            .exclude(renewals__status__in=UNDER_WAY)
            .select_related("partner")
        )
        if model is ProductCertification:
            due = due.select_related("product")
        for certification in due:
            days_left = (certification.valid_until - on).days
            threshold = next(t for t in thresholds if days_left <= t)
            try:
                with transaction.atomic():
                    reminder = CertificateReminder.objects.create(**{field: certification}, days_before=threshold)
                    reminder.recipients = remind_expiry(certification=certification, days_left=days_left)
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:
                continue  # reminded already, by an earlier run or one running beside this one
            sent += 1
    return sent


def remind_expiry(*, certification, days_left):
    with translation.override(settings.LANGUAGE_CODE):
        return notify_supplier(
            partner=certification.partner,
            subject=_("%(label)s expires on %(date)s")
            % {
                "label": certificate_label(certification),
                "date": f"{certification.valid_until:%Y-%m-%d}",
            },
            body=_(
                "%(label)s (number %(number)s) expires on %(date)s, in %(days)s days. After that day its products "
                "can no longer be bought.\n\nApply to renew it under 认定管理 in the back office; you can keep "
                "the evidence on file or upload new files."
            )
            % {
                "label": certificate_label(certification),
                "number": certification.certificate_number or "—",
                "date": f"{certification.valid_until:%Y-%m-%d}",
                "days": days_left,
            },
        )


@transaction.atomic
def record_existing_certificate(*, reviewer, partner, certificate_number, valid_from, valid_until):
    """Enter a supplier certificate that the county office issued on paper before the platform existed."""
    certification = SupplierCertification(partner=partner, applied_by=reviewer)
    county = ensure_reviewer(certification=certification, reviewer=reviewer)
    certification.certificate_number = certificate_number
    certification.certifying_office = county
    certification.valid_from = valid_from
    certification.valid_until = valid_until
    certification.decided_by = reviewer
    certification.decided_at = timezone.now()
    certification.full_clean()
    certification.save()
    certification.set_status(
        to=CertificationStatus.CERTIFIED,
        by=reviewer,
        reason=_("Certificate issued before the platform, entered by the county office."),
    )
    return certification


# --- Changes to certified facts (变更申请) ---


class ChangeRequestError(Exception):
    """A change request that cannot be submitted or decided as asked."""


def region_label(region):
    return f"{region.name}（{region.code}）" if region else ""


def product_facts(product, categories):
    """{fact: (raw value, value as shown)} of a product, with `categories` as its categories."""
    categories = sorted(categories, key=lambda category: category.pk)
    return {
        "title": (product.title, product.title),
        "categories": ([c.pk for c in categories], "、".join(c.name for c in categories)),
        "origin": (product.origin_id, region_label(product.origin)),
        "specification": (product.specification, product.specification),
        "sales_unit": (product.sales_unit, product.sales_unit),
    }


def supplier_facts(partner):
    return {
        "credit_code": (partner.credit_code, partner.credit_code or ""),
        "legal_name": (partner.legal_name, partner.legal_name),
        "region": (partner.region_id, region_label(partner.region)),
    }


def open_change_request(*, partner, product, old, new, user):
    """Save a pending request with the facts that differ, logged as submitted; None when nothing differs."""
    changed = [name for name in old if old[name][0] != new[name][0]]
    if not changed:
        return None
    pending = ChangeRequest.objects.pending()
    busy = pending.filter(product=product) if product else pending.filter(partner=partner, product__isnull=True)
    message = (
        _(
            "A change to this product's certified facts is already awaiting the county office's review; wait for its decision before changing them again."
        )
        if product
        else _(
            "A change to the supplier's certified facts is already awaiting the county office's review; wait for its decision before changing them again."
        )
    )
    if busy.exists():
        raise ChangeRequestError(message)
    change_request = ChangeRequest(
        partner=partner,
        product=product,
        changes={name: [old[name][1], new[name][1]] for name in changed},
        raw_changes={name: [old[name][0], new[name][0]] for name in changed},
        submitted_by=user,
    )
    change_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            change_request.save()
    except IntegrityError as error:
        # Another request for the same object was submitted at the same moment.
        raise ChangeRequestError(message) from error
    change_request.status_changes.create(
        old_status="", new_status=ChangeRequestStatus.PENDING, changed_by=user, reason=_("Submitted for review.")
    )
    return change_request


@transaction.atomic
def product_change_request_submit(*, product, user, categories=None):
    """Hold back the certified facts that `product` (edited, not saved) changes, as a request to the county office.

    `categories` are the product's categories after the edit (None: unchanged). When the product is certified and a
    reviewed fact differs from what is stored, a pending request is saved and the stored values are put back on
    `product`, so saving it changes only what needs no review. Returns the request, or None.
    """
    Product = type(product)
    stored = Product.objects.select_for_update().get(pk=product.pk)
    if not product_is_certified(product=stored):
        return None
    stored_categories = list(stored.categories.all())
    old = product_facts(stored, stored_categories)
    new = product_facts(product, stored_categories if categories is None else categories)
    certification = (
        ProductCertification.objects.filter(
            product=stored, status__in=[CertificationStatus.NOTICE, CertificationStatus.CERTIFIED]
        )
        .select_related("partner")
        .first()
    )
    change_request = open_change_request(partner=certification.partner, product=stored, old=old, new=new, user=user)
    if change_request:
        for name in ("title", "specification", "sales_unit"):
            setattr(product, name, getattr(stored, name))
        product.origin = stored.origin
    return change_request


@transaction.atomic
def supplier_profile_save(*, partner, user):
    """Save a supplier's edited profile; a certified supplier's credit code, legal name and region wait for review.

    Returns the change request when one was submitted, otherwise None.
    """
    stored = Partner.objects.select_for_update().get(pk=partner.pk)
    change_request = None
    if supplier_is_certified(partner=stored):
        change_request = open_change_request(
            partner=stored, product=None, old=supplier_facts(stored), new=supplier_facts(partner), user=user
        )
    if change_request:
        partner.credit_code, partner.legal_name, partner.region = stored.credit_code, stored.legal_name, stored.region
    partner.full_clean()
    partner.save()
    return change_request


def ensure_change_reviewer(*, change_request, reviewer):
    """Only the county office of the supplier's county decides on a change of its certified facts."""
    region = change_request.partner.region
    county = region.ancestor_at("county") if region else None
    in_office = reviewer.groups.filter(name=roles.COUNTY).exists()
    if not (in_office and county and reviewer.region_id == county.pk):
        raise CertificationPermissionDenied(
            _("Only the poverty office of %(county)s decides on this change.") % {"county": county or "—"}
        )


def apply_product_changes(product, raw_changes):
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    for name in ("title", "specification", "sales_unit"):
        if name in raw_changes:
            setattr(product, name, raw_changes[name][1])
    if "origin" in raw_changes:
        product.origin_id = raw_changes["origin"][1]
    product.full_clean()
    product.save()
    if "categories" in raw_changes:
        wanted = set(Category.objects.filter(pk__in=raw_changes["categories"][1]).values_list("pk", flat=True))
        ProductCategory.objects.filter(product=product).exclude(category_id__in=wanted).delete()
        kept = set(ProductCategory.objects.filter(product=product).values_list("category_id", flat=True))
        for category_id in sorted(wanted - kept):
            ProductCategory.objects.create(product=product, category_id=category_id)


def apply_supplier_changes(partner, raw_changes):
    for name in ("credit_code", "legal_name"):
        if name in raw_changes:
            setattr(partner, name, raw_changes[name][1])
    if "region" in raw_changes:
        partner.region_id = raw_changes["region"][1]
    partner.full_clean()
    partner.save()


@transaction.atomic
def change_request_approve(*, change_request, reviewer):
    """Apply the new facts and let selling resume."""
    ensure_change_reviewer(change_request=change_request, reviewer=reviewer)
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if ChangeRequestStatus.APPROVED not in change_request.available_statuses():
        raise ChangeRequestError(
            _("This change request has already been decided: %(status)s.")
            % {"status": change_request.get_status_display()}
        )
    try:
        if change_request.product_id:
            apply_product_changes(change_request.product, change_request.raw_changes)
        else:
            apply_supplier_changes(change_request.partner, change_request.raw_changes)
    except ValidationError as error:
        raise ChangeRequestError(
            _("The change cannot be applied: %(errors)s Reject it with this reason instead.")
            % {"errors": " ".join(error.messages)}
        ) from error
    change_request.decided_by = reviewer
    change_request.decided_at = timezone.now()
    change_request.set_status(ChangeRequestStatus.APPROVED, user=reviewer, reason=_("Approved by the county office."))
    return change_request


@transaction.atomic
def change_request_reject(*, change_request, reviewer, reason):
    """Keep the certified facts as they were and let selling resume with them."""
    if not (reason or "").strip():
        raise ChangeRequestError(_("Say why the change is rejected; the supplier will see it."))
    ensure_change_reviewer(change_request=change_request, reviewer=reviewer)
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if ChangeRequestStatus.REJECTED not in change_request.available_statuses():
        raise ChangeRequestError(
            _("This change request has already been decided: %(status)s.")
            % {"status": change_request.get_status_display()}
        )
    change_request.reason = reason.strip()
    change_request.decided_by = reviewer
    change_request.decided_at = timezone.now()
    change_request.set_status(ChangeRequestStatus.REJECTED, user=reviewer, reason=change_request.reason)
    return change_request


# --- Honest prices (价格佐证) ---


class PriceChangeError(BadRequest):
    """A price change that cannot be made or decided as asked."""


def price_limit(reference):
    """The highest price that shows without the county office's approval: the reference plus the margin."""
    margin = Decimal(settings.PRICE_REFERENCE_MARGIN_PERCENT) / 100
    return (reference * (1 + margin)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reference_price_of(*, product_id, partner_id):
    """The price reference of the product's newest certification (in force or on notice) from this supplier."""
    return (
        ProductCertification.objects.filter(
            product_id=product_id,
            partner_id=partner_id,
            status__in=[CertificationStatus.NOTICE, CertificationStatus.CERTIFIED],
            reference_price__isnull=False,
        )
        .order_by("-applied_at", "-pk")
        .values_list("reference_price", flat=True)
        .first()
    )


@transaction.atomic
def stockrecord_price_submit(*, stockrecord, user):
    """Hold back a rise of `stockrecord`'s price (edited, not saved) above the reference by more than the margin.

    The rise is saved as a request to the county office and the stored price is put back on `stockrecord`, so that
    buyers keep seeing it. A price within the margin, a cut, or a product without a reference shows at once.
    Returns the held rise, or None.
    """
    StockRecord = type(stockrecord)
    stored = StockRecord.objects.select_for_update().get(pk=stockrecord.pk)
    old, new = stored.price, stockrecord.price
    if old is None or new is None or new == old:
        return None
    if PriceChange.objects.filter(stockrecord=stored, status=PriceChangeStatus.PENDING).exists():
        raise PriceChangeError(
            _("A price rise of this product is awaiting the county office's approval; wait for its decision.")
        )
    reference = reference_price_of(product_id=stored.product_id, partner_id=stored.partner_id)
    if reference is None or new <= old or new <= price_limit(reference):
        return None
    change = PriceChange(stockrecord=stored, old_price=old, new_price=new, reference_price=reference, requested_by=user)
    change.full_clean(validate_constraints=False)
    change.save()
    price_history_baseline(stockrecord=stored)
    stockrecord.price = old
    return change


def price_history_baseline(*, stockrecord):
    """The price shown before the history began, dated when the stock record was made."""
    if not stockrecord.price_history.exists() and stockrecord.price is not None:
        stockrecord.price_history.create(price=stockrecord.price, shown_from=stockrecord.date_created)


def price_history_record(*, stockrecord, old_price=None, user=None):
    """Note the price a stock record shows from now on (and the one before, when the history is new)."""
    last = stockrecord.price_history.order_by("-shown_from", "-pk").values_list("price", flat=True).first()
    if last is None and old_price is not None and old_price != stockrecord.price:
        stockrecord.price_history.create(price=old_price, shown_from=stockrecord.date_created)
    elif last == stockrecord.price:
        return None
    return stockrecord.price_history.create(price=stockrecord.price, changed_by=user)


def ensure_price_reviewer(*, price_change, reviewer):
    region = price_change.stockrecord.partner.region
    county = region.ancestor_at("county") if region else None
    in_office = reviewer.groups.filter(name=roles.COUNTY).exists()
    if not (in_office and county and reviewer.region_id == county.pk):
        raise CertificationPermissionDenied(
            _("Only the poverty office of %(county)s decides on this price.") % {"county": county or "—"}
        )


@transaction.atomic
def price_change_approve(*, price_change, reviewer):
    """The county office accepts the rise: the new price shows from now on."""
    ensure_price_reviewer(price_change=price_change, reviewer=reviewer)
    price_change = PriceChange.objects.select_for_update().select_related("stockrecord").get(pk=price_change.pk)
    price_change.set_status(to=PriceChangeStatus.APPROVED, by=reviewer, reason=_("Approved by the county office."))
    stockrecord = price_change.stockrecord
    stockrecord.price = price_change.new_price
    stockrecord.save()
    price_history_record(stockrecord=stockrecord, user=reviewer)
    return price_change


@transaction.atomic
def price_change_reject(*, price_change, reviewer, reason):
    """The county office refuses the rise: the old price stays."""
    if not (reason or "").strip():
        raise PriceChangeError(_("Say why the price rise is refused; the supplier will see it."))
    ensure_price_reviewer(price_change=price_change, reviewer=reviewer)
    price_change = PriceChange.objects.select_for_update().get(pk=price_change.pk)
    price_change.set_status(to=PriceChangeStatus.REJECTED, by=reviewer, reason=reason.strip())
    return price_change


# --- Household linkage (带贫益贫) ---


def ensure_staff(*, partner, user):
    if not partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionDenied(_("Only the supplier's own staff keep its household linkage."))


@transaction.atomic
def household_link_save(*, partner, user, mechanism, households, rate_percent, villages=(), description=""):
    """Declare (or update) how the supplier links to poor households through one mechanism."""
    ensure_staff(partner=partner, user=user)
    link = HouseholdLink.objects.filter(partner=partner, mechanism=mechanism).first() or HouseholdLink(
        partner=partner, mechanism=mechanism
    )
    link.households = households
    link.rate_percent = rate_percent
    link.description = (description or "").strip()
    link.full_clean(validate_constraints=False)
    link.save()
    link.villages.set(villages)
    return link


@transaction.atomic
def household_link_delete(*, link, user):
    ensure_staff(partner=link.partner, user=user)
    link.delete()


@transaction.atomic
def product_source_add(*, partner, user, product, kind, name, village, households=1):
    """Name a household or cooperative the supplier buys a product's produce from."""
    ensure_staff(partner=partner, user=user)
    if not partner.stockrecords.filter(product=product).exists():
        raise CertificationError(_("This product is not one the supplier sells."))
    source = ProductSource(
        product=product, partner=partner, kind=kind, name=(name or "").strip(), village=village, households=households
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def product_source_delete(*, source, user):
    ensure_staff(partner=source.partner, user=user)
    source.delete()
