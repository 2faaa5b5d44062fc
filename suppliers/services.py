"""Writes of the certification workflow: review by the county office, public notice, publication, expiry."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.errors import BadRequest, Refusal

from .models import (
    CatalogueBatch,
    CertificateCounter,
    CertificationStatus,
    ProductCertification,
    SupplierCertification,
)


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
    """The county's batch whose public notice starts today, or a new one with the next number of the year."""
    batch = CatalogueBatch.objects.filter(county=county, notice_starts_on=on, published_on__isnull=True).first()
    if batch:
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
        notice_ends_on=on + timedelta(days=settings.CERTIFICATION_NOTICE_DAYS),
    )


@transaction.atomic
def certification_approve(*, certification, reviewer, on=None):
    """Approve: a supplier is certified at once; a product goes on public notice in a numbered batch."""
    on = on or timezone.localdate()
    county = ensure_reviewer(certification=certification, reviewer=reviewer)
    certification = type(certification).objects.select_for_update().get(pk=certification.pk)
    certification.certificate_number = next_certificate_number(county=county, year=on.year)
    certification.certifying_office = county
    certification.decided_by = reviewer
    certification.decided_at = timezone.now()
    certification.reason = ""
    if isinstance(certification, ProductCertification):
        certification.batch = open_batch(county=county, on=on)
        new_status = CertificationStatus.NOTICE
    else:
        certification.valid_from = on
        certification.valid_until = validity_end(on)
        new_status = CertificationStatus.CERTIFIED
    certification.set_status(to=new_status, by=reviewer, reason=_("Approved by the county office."))
    return certification


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


@transaction.atomic
def certification_revoke(*, certification, reviewer, reason):
    """Revoke for a violation or a quality failure; history and past orders keep pointing at it."""
    if not (reason or "").strip():
        raise CertificationError(_("Say why the certification is revoked."))
    ensure_reviewer(certification=certification, reviewer=reviewer)
    certification.reason = reason.strip()
    certification.set_status(to=CertificationStatus.REVOKED, by=reviewer, reason=certification.reason)
    return certification


@transaction.atomic
def certification_reapply(*, certification, user):
    certification.applied_by = user
    certification.applied_at = timezone.now()
    certification.set_status(to=CertificationStatus.PENDING, by=user, reason=_("Applied again."))
    return certification


@transaction.atomic
def certifications_daily(*, on=None):
    """Publish the batches whose notice has ended and expire certifications past their validity. Idempotent."""
    on = on or timezone.localdate()
    published = 0
    for batch in CatalogueBatch.objects.select_for_update().filter(published_on__isnull=True, notice_ends_on__lt=on):
        for certification in batch.certifications.filter(status=CertificationStatus.NOTICE):
            certification.valid_from = on
            certification.valid_until = validity_end(on)
            certification.set_status(
                to=CertificationStatus.CERTIFIED,
                by=None,
                reason=_("Published in batch %(number)s of %(year)s after public notice.")
                % {"number": batch.number, "year": batch.year},
            )
            published += 1
        batch.published_on = on
        batch.save(update_fields=["published_on"])
    expired = 0
    for model in (SupplierCertification, ProductCertification):
        for certification in model.objects.filter(status=CertificationStatus.CERTIFIED, valid_until__lt=on):
            certification.set_status(
                to=CertificationStatus.EXPIRED, by=None, reason=_("The validity period has ended.")
            )
            expired += 1
    return published, expired


@transaction.atomic
def product_certification_apply(*, user, partner, product, business_licence=None, commitment_letter=None):
    """A supplier's staff apply for one of the supplier's products, with the evidence files."""
    if not partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionDenied(_("You can only apply for your own supplier's products."))
    if not partner.stockrecords.filter(product=product).exists():
        raise CertificationError(_("This product is not one the supplier sells."))
    if ProductCertification.objects.filter(
        product=product,
        status__in=[CertificationStatus.PENDING, CertificationStatus.NOTICE, CertificationStatus.CERTIFIED],
    ).exists():
        raise CertificationError(_("This product already has an application under way or a valid certification."))
    return _save_application(
        ProductCertification(product=product, partner=partner, applied_by=user), business_licence, commitment_letter
    )


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
        partner=partner, status__in=[CertificationStatus.PENDING, CertificationStatus.CERTIFIED]
    ).exists():
        raise CertificationError(_("The supplier already has an application under way or a valid certification."))
    return _save_application(
        SupplierCertification(partner=partner, applied_by=user), business_licence, commitment_letter
    )


def _save_application(certification, business_licence, commitment_letter):
    """Check the evidence files and save a new application with them."""
    from .evidence import validate_evidence

    for upload in (business_licence, commitment_letter):
        if upload is not None:
            validate_evidence(upload)
    certification.business_licence = business_licence or ""
    certification.commitment_letter = commitment_letter or ""
    certification.full_clean(exclude=["certificate_number"])
    certification.save()
    return certification


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
