"""Writes of reserved-share filings: filing (and changing) a share, the office's confirmation or return."""

import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from procurement import selectors
from procurement.errors import FilingRefused, NotAllowed, VoucherRefused
from procurement.models import (
    Canteen,
    FilingStatus,
    GiftVoucher,
    ShareFiling,
    VoucherBatch,
)
from reports.models import Channel, Confirmation, PaymentMethod, PurchaseRecord, SellerKind, Source
from reports.selectors import user_roles
from reports.services import record_category, record_origin, record_unit_of_measure
from suppliers.catalogue import certified_products


def may_file(user, unit):
    return user.is_authenticated and roles.UNIT in user_roles(user) and user.units.filter(pk=unit.pk).exists()


def _decimal(value, *, field):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise FilingRefused(_("Enter a number.")) from None


@transaction.atomic
def filing_submit(
    *,
    unit,
    year,
    user,
    canteen,
    canteen_budget=Decimal("0"),
    share_percent=Decimal("0"),
    shared_with=(),
    contractor=None,
    note="",
):
    """File the unit's reserved share for a budget year, or change the filing; either goes to the office to confirm."""
    if not may_file(user, unit):
        raise NotAllowed(_("Only the unit's own members file its reserved share."))
    covered_by = selectors.covering_filing(unit=unit, year=year)
    if covered_by is not None:
        raise FilingRefused(
            _("%(unit)s already files for your unit for %(year)s (shared or contracted canteen).")
            % {"unit": covered_by.unit.name, "year": year}
        )
    canteen_budget = _decimal(canteen_budget or 0, field="canteen_budget")
    share_percent = _decimal(share_percent or 0, field="share_percent")
    shared_with = [other for other in shared_with if other.pk != unit.pk]
    minimum = settings.PROCUREMENT_MINIMUM_SHARE_PERCENT
    if canteen == Canteen.NONE:
        canteen_budget, share_percent, shared_with, contractor = Decimal("0"), Decimal("0"), [], None
    else:
        if canteen_budget <= 0:
            raise FilingRefused(_("Enter the canteen's food budget for the year."))
        if share_percent < minimum:
            raise FilingRefused(
                _("The reserved share must be at least %(minimum)s%% of the canteen food budget.")
                % {"minimum": f"{minimum:g}"}
            )
        if share_percent > 100:
            raise FilingRefused(_("The reserved share cannot be more than 100%."))
        if canteen == Canteen.SHARED and not shared_with:
            raise FilingRefused(_("Name the other units that eat at this canteen."))
        if canteen == Canteen.CONTRACTOR and contractor is None:
            raise FilingRefused(_("Name the contractor that runs the canteen."))
        if canteen != Canteen.SHARED:
            shared_with = []
        if canteen != Canteen.CONTRACTOR:
            contractor = None
        if contractor is not None and contractor.pk == unit.pk:
            raise FilingRefused(_("The contractor is another organisation than the unit."))
    outside = [
        other
        for other in [*shared_with, contractor]
        if other is not None and not selectors.same_jurisdiction(unit, other)
    ]
    if outside:
        # A unit answering to another office cannot be drawn into this one's filing.
        raise FilingRefused(
            _("%(unit)s is not in your unit's jurisdiction; only units confirmed by the same office can be named.")
            % {"unit": outside[0].name}
        )
    named = [other.pk for other in shared_with] + ([contractor.pk] if contractor is not None else [])
    filed_already = ShareFiling.objects.filter(year=year, unit_id__in=named).select_related("unit").first()
    if filed_already is not None:
        # Its purchases would count toward two shares.
        raise FilingRefused(
            _("%(unit)s filed its own reserved share for %(year)s; it cannot be part of this filing.")
            % {"unit": filed_already.unit.name, "year": year}
        )
    filing = ShareFiling.objects.select_for_update().filter(unit=unit, year=year).first()
    created = filing is None
    if created:
        filing = ShareFiling(unit=unit, year=year)
    filing.canteen = canteen
    filing.canteen_budget = canteen_budget
    filing.share_percent = share_percent
    filing.contractor = contractor
    filing.note = note
    filing.filed_by = user
    filing.confirmed_by, filing.confirmed_at = None, None
    try:
        filing.full_clean(validate_unique=False)
    except ValidationError as error:
        raise FilingRefused(error.messages) from None
    if created:
        filing.status = FilingStatus.SUBMITTED
        filing.save()
        filing.shared_with.set(shared_with)
        filing.record_status_change(old="", new=FilingStatus.SUBMITTED, by=user, reason=_("Filed"))
    else:
        filing.save()
        filing.shared_with.set(shared_with)
        if filing.status == FilingStatus.SUBMITTED:
            filing.record_status_change(
                old=FilingStatus.SUBMITTED, new=FilingStatus.SUBMITTED, by=user, reason=_("Changed")
            )
        else:
            filing.set_status(to=FilingStatus.SUBMITTED, by=user, reason=_("Changed"))
    return filing


def _check_office(user, filing):
    if not selectors.is_confirming_office(user, filing.unit):
        raise NotAllowed(
            _(
                "Only the office of the unit's jurisdiction confirms its filing (the county's, or the city's for "
                "city-level units)."
            )
        )


@transaction.atomic
def filing_confirm(*, filing, user):
    filing = ShareFiling.objects.select_for_update().select_related("unit__region").get(pk=filing.pk)
    _check_office(user, filing)
    conflict = selectors.conflicts_at_confirmation(filing)
    if conflict is not None:
        named, other = conflict
        if other is None:
            message = _(
                "%(unit)s has filed its own reserved share for %(year)s; return this filing so that it no longer "
                "names it."
            ) % {"unit": named.name, "year": filing.year}
        else:
            message = _(
                "%(unit)s is already part of the confirmed filing of %(other)s for %(year)s; return this filing so "
                "that it no longer names it."
            ) % {"unit": named.name, "other": other.unit.name, "year": filing.year}
        raise FilingRefused(message)
    filing.confirmed_by, filing.confirmed_at = user, timezone.now()
    filing.set_status(to=FilingStatus.CONFIRMED, by=user, reason=_("Confirmed"))
    return filing


@transaction.atomic
def filing_return(*, filing, user, reason):
    filing = ShareFiling.objects.select_for_update().select_related("unit__region").get(pk=filing.pk)
    _check_office(user, filing)
    if not reason.strip():
        raise FilingRefused(_("Say what the unit has to correct."))
    filing.set_status(to=FilingStatus.RETURNED, by=user, reason=reason.strip())
    return filing


# --- group purchases: gift vouchers (one order to many addresses is shop.order.recipients) ---


@transaction.atomic
def voucher_batch_buy(*, unit, user, count, value, note=""):
    """Gift vouchers for the unit's staff: `count` single-use codes, each worth `value` in certified products."""
    if not may_file(user, unit):
        raise NotAllowed(_("Only the unit's own members buy vouchers for its staff."))
    if not 1 <= count <= settings.PROCUREMENT_MAX_VOUCHERS:
        raise VoucherRefused(
            _("A batch has between 1 and %(limit)s vouchers.") % {"limit": settings.PROCUREMENT_MAX_VOUCHERS}
        )
    if value <= 0:
        raise VoucherRefused(_("A voucher is worth more than nothing."))
    batch = VoucherBatch.objects.create(unit=unit, value=value, count=count, note=note, bought_by=user)
    GiftVoucher.objects.bulk_create(GiftVoucher(batch=batch, code=new_voucher_code()) for _number in range(count))
    return batch


# Letters and digits that cannot be mistaken for one another when read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_voucher_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(12))


@transaction.atomic
def voucher_redeem(*, code, user, product):
    """A member of the unit's staff redeems a voucher for a certified product: once, whoever races for it."""
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    voucher = GiftVoucher.objects.select_for_update().select_related("batch__unit").filter(code=normalised).first()
    if voucher is None or not voucher.batch.unit.members.filter(pk=user.pk).exists():
        raise VoucherRefused(_("There is no such voucher for your unit."))
    if voucher.redeemed_at is not None:
        raise VoucherRefused(
            _("This voucher was already used on %(day)s.")
            % {"day": f"{timezone.localtime(voucher.redeemed_at):%Y-%m-%d}"}
        )
    certification = certified_products().filter(product=product).first()
    if certification is None:
        raise VoucherRefused(_("Vouchers are only redeemed for certified products on sale."))
    unit, value = voucher.batch.unit, voucher.batch.value
    partner = certification.partner
    unit_of_measure, unit_of_measure_text = record_unit_of_measure(product)
    record = PurchaseRecord(
        unit=unit,
        village=record_origin(product, partner) or unit.region,
        seller_kind=SellerKind.SUPPLIER,
        supplier=partner,
        product=product,
        product_name=product.get_title()[:128],
        category=record_category(product),
        quantity=Decimal("1"),
        unit_of_measure=unit_of_measure,
        unit_of_measure_text=unit_of_measure_text,
        unit_price=value,
        amount=value,
        purchased_on=timezone.localdate(),
        channel=Channel.ONLINE,
        payment_method=PaymentMethod.ONLINE,
        source=Source.ORDER,
        confirmation=Confirmation.CONFIRMED,
        registered_by=user,
    )
    record.save()
    voucher.redeemed_at, voucher.redeemed_by, voucher.product, voucher.record = timezone.now(), user, product, record
    voucher.save()
    return voucher
