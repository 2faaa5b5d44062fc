"""Writes of the certification workflow: review by the county office, public notice, publication, expiry."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.errors import BadRequest, Refusal
from suppliers.evidence import validate_evidence
from suppliers.private_files import attach_private_upload

from .models import (
    CatalogueBatch,
    CertificateCounter,
    CertificationStatus,
    ChangeRequest,
    ChangeRequestStatus,
    Partner,
    ProductCertification,
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
    notice_ends_on = on + timedelta(days=settings.CERTIFICATION_NOTICE_DAYS)
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
    for field, upload in (("business_licence", business_licence), ("commitment_letter", commitment_letter)):
        if upload is not None:
            attach_private_upload(certification, field, upload, validate_evidence(upload))
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
