"""Writes on after-sales claims: opened by the buyer, answered by the supplier, decided by the platform operator."""

import logging
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.errors import Refusal
from accounts.permissions import ANSWER_CLAIMS, DECIDE_CLAIMS, REFUND_ORDERS, require
from shop.aftersales.models import OPEN, Claim, ClaimPhoto, ClaimRemedy, ClaimStatus
from shop.order import statuses
from suppliers.evidence import JPEG, PNG, verify_upload
from suppliers.private_files import attach_private_upload

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Refund = get_model("payment", "Refund")

logger = logging.getLogger(__name__)

PHOTO_TYPES = (JPEG, PNG)
# Lines a buyer may claim on: they have left the supplier.
CLAIMABLE_LINE_STATUSES = (statuses.SHIPPED, statuses.DELIVERED)
CENT = Decimal("0.01")


class ClaimError(Refusal, ValidationError):
    """A claim, answer or decision that is not allowed now; the message says why."""


def may_answer(user, claim):
    return user.has_perm(ANSWER_CLAIMS) and (user.is_superuser or claim.partner.users.filter(pk=user.pk).exists())


def line_refundable(line, *, excluding=None):
    """What of a line can still be refunded: its price less the refunds granted or made on it already, by earlier
    claims (settled by transfer or through the payment service) or by the payment service directly."""
    granted = Claim.objects.filter(line=line, status__in=[ClaimStatus.REFUNDING, ClaimStatus.REFUNDED])
    if excluding is not None:
        granted = granted.exclude(pk=excluding.pk)
    by_claims = granted.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    by_service = Refund.objects.filter(line=line, status__in=[Refund.REQUESTED, Refund.SUCCEEDED]).exclude(
        pk__in=Claim.objects.filter(line=line, refund__isnull=False).values("refund")
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return max(line.line_price_incl_tax - by_claims - by_service, Decimal("0.00"))


def _amount(value, line, left):
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise ClaimError({"amount": _("Enter the amount to refund, for example 20.00.")}) from None
    if amount <= 0 or amount > left:
        raise ClaimError(
            {
                "amount": _(
                    "The amount must be more than ¥0 and at most what is left to refund on the line, ¥%(left)s."
                )
                % {"left": left}
            }
        )
    return amount


def _nothing_left():
    return ClaimError(_("This product has already been refunded in full; no further refund can be asked for."))


def claim_open(*, line, user, reason, description, remedy, amount=None, photos=()):
    """The buyer opens a claim on one line of their own order, with photos of the problem."""
    order = line.order
    if order.user_id is None or order.user_id != user.pk:
        raise PermissionDenied(_("Only the buyer who placed the order can do this."))
    if line.status == statuses.REFUNDED:
        # A line refunded in full (by the payment service or by bank transfer) has nothing left to claim.
        raise _nothing_left()
    if line.status not in CLAIMABLE_LINE_STATUSES:
        raise ClaimError(_("An after-sales claim can be opened once the product has been shipped."))
    description = (description or "").strip()
    photos = list(photos)
    if len(photos) > settings.AFTERSALES_MAX_PHOTOS:
        raise ClaimError({"photos": _("Attach at most %(n)s photos.") % {"n": settings.AFTERSALES_MAX_PHOTOS}})
    verified = []
    for upload in photos:
        try:
            verified.append(
                (upload, verify_upload(upload, allowed=PHOTO_TYPES, max_bytes=settings.AFTERSALES_PHOTO_MAX_BYTES))
            )
        except ValidationError as error:
            raise ClaimError({"photos": error.messages}) from None
    if remedy in (ClaimRemedy.PARTIAL_REFUND, ClaimRemedy.REFUND):
        left = line_refundable(line)
        if left <= 0:
            raise _nothing_left()
        amount = _amount(amount, line, left) if remedy == ClaimRemedy.PARTIAL_REFUND else left
    else:
        amount = None
    claim = Claim(
        order=order,
        line=line,
        partner_id=line.partner_id,
        buyer=user,
        reason=reason,
        description=description,
        remedy=remedy,
        amount=amount,
        answer_due=timezone.now() + timedelta(hours=settings.AFTERSALES_ANSWER_HOURS),
    )
    claim.full_clean()
    if reason != "missing" and not verified:
        raise ClaimError({"photos": _("Add at least one photo of the problem.")})
    try:
        with transaction.atomic():
            if Claim.objects.select_for_update().filter(line=line, status__in=OPEN).exists():
                raise ClaimError(_("This product already has an after-sales claim in progress."))
            claim.save()
            for upload, file_type in verified:
                photo = ClaimPhoto(claim=claim)
                attach_private_upload(photo, "file", upload, file_type)
                photo.save()
            claim.record_status_change(old="", new=ClaimStatus.SUBMITTED, by=user, reason=description)
    except IntegrityError:
        raise ClaimError(_("This product already has an after-sales claim in progress.")) from None
    return claim


def _locked(claim):
    return Claim.objects.select_for_update().select_related("order", "line").get(pk=claim.pk)


def claim_withdraw(*, claim, user):
    if claim.buyer_id != user.pk:
        raise PermissionDenied(_("Only the buyer who opened the claim can withdraw it."))
    with transaction.atomic():
        claim = _locked(claim)
        claim.set_status(to=ClaimStatus.WITHDRAWN, by=user, reason=_("Withdrawn by the buyer."))
    return claim


def claim_answer(*, claim, user, accept, answer):
    """The supplier agrees (the remedy follows) or refuses (the platform operator decides)."""
    require(user, ANSWER_CLAIMS)
    if not may_answer(user, claim):
        raise PermissionDenied(_("You may only answer claims on your own supplier's products."))
    answer = (answer or "").strip()
    if not answer:
        raise ClaimError({"answer": _("Write your answer to the buyer.")})
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status != ClaimStatus.SUBMITTED:
            raise ClaimError(_("This claim has already been answered."))
        claim.supplier_answer, claim.answered_at = answer[:1000], timezone.now()
        claim.save(update_fields=["supplier_answer", "answered_at"])
        if accept:
            _grant(claim, user, answer)
        else:
            claim.set_status(to=ClaimStatus.DISPUTED, by=user, reason=answer)
    _send_refund(claim, user)
    return claim


def claim_decide(*, claim, user, uphold, decision, amount=None):
    """The platform operator decides a claim the supplier refused, or left unanswered past its deadline."""
    require(user, DECIDE_CLAIMS)
    decision = (decision or "").strip()
    if not decision:
        raise ClaimError({"decision": _("Write the reason for the decision.")})
    with transaction.atomic():
        claim = _locked(claim)
        if not (claim.status == ClaimStatus.DISPUTED or claim.is_overdue):
            raise ClaimError(_("The supplier still has time to answer this claim."))
        if uphold and claim.remedy != ClaimRemedy.RESHIP:
            # Another claim may have been refunded since this one was opened: never grant more than is left.
            left = line_refundable(claim.line, excluding=claim)
            if left <= 0:
                raise _nothing_left()
            if amount not in (None, ""):
                claim.amount = _amount(amount, claim.line, left)
            elif claim.amount > left:
                claim.amount = left
        claim.decision, claim.decided_at = decision[:1000], timezone.now()
        claim.save(update_fields=["decision", "decided_at", "amount"])
        if uphold:
            _grant(claim, user, decision)
        else:
            claim.set_status(to=ClaimStatus.DISMISSED, by=user, reason=decision)
    _send_refund(claim, user)
    return claim


def _grant(claim, user, reason):
    if claim.remedy == ClaimRemedy.RESHIP:
        claim.set_status(to=ClaimStatus.RESOLVED, by=user, reason=reason)
    else:
        claim.set_status(to=ClaimStatus.REFUNDING, by=user, reason=reason)


def _send_refund(claim, user):
    """An agreed refund of an order paid online goes to the payment service; others are returned by transfer."""
    from shop.order.services import OrderError
    from shop.payment.gateway import get_gateway
    from shop.payment.services import refund_start

    if claim.status != ClaimStatus.REFUNDING or claim.refund_id:
        return
    order = claim.order
    if order.payment_method != Order.STRIPE or order.paid_at is None:
        return
    try:
        refund = refund_start(
            order=order,
            line=claim.line,
            amount=claim.amount,
            requested_by=user,
            gateway=get_gateway(),
            reason=_("After-sales claim %(pk)s") % {"pk": claim.pk},
        )
    except OrderError as error:
        logger.warning("Refund for claim %s not sent: %s", claim.pk, error)
        claim.record_status_change(
            old=claim.status,
            new=claim.status,
            by=None,
            reason=_("The refund could not be sent: %(error)s") % {"error": error},
        )
        return
    Claim.objects.filter(pk=claim.pk).update(refund=refund)
    claim.refund = refund


def claim_refund_confirmed(*, refund):
    """The payment service confirmed a claim's refund."""
    for claim in Claim.objects.select_for_update().filter(refund=refund, status=ClaimStatus.REFUNDING):
        claim.set_status(to=ClaimStatus.REFUNDED, by=None, reason=_("The payment service confirmed the refund."))


def claim_mark_refunded(*, claim, user, bank_reference, note=""):
    """The operator records a refund returned by bank transfer (an order not paid online), with the transfer's bank
    reference (required) and an optional note."""
    require(user, REFUND_ORDERS)
    from shop.order.services import OrderError
    from shop.payment.services import bank_reference_clean, refund_record_transfer

    try:
        bank_reference = bank_reference_clean(bank_reference)
    except OrderError as error:
        raise ClaimError(error.message_dict) from error
    note = (note or "").strip()

    with transaction.atomic():
        claim = _locked(claim)
        if claim.refund_id and claim.status == ClaimStatus.REFUNDING:
            raise ClaimError(
                _("This refund goes through the payment service; it is recorded when the service confirms it.")
            )
        if claim.status == ClaimStatus.REFUNDING:
            # The money returned is recorded as a confirmed refund, so the supplier's settlement ledger is debited.
            try:
                refund = refund_record_transfer(
                    order=claim.order,
                    line=claim.line,
                    amount=claim.amount,
                    user=user,
                    bank_reference=bank_reference,
                    reason=(
                        _("After-sales claim %(pk)s, returned by bank transfer.") % {"pk": claim.pk} + " " + note
                    ).strip(),
                )
            except OrderError as error:
                raise ClaimError(str(error)) from error
            Claim.objects.filter(pk=claim.pk).update(refund=refund)
            claim.refund = refund
        reason = _("Returned by bank transfer, reference %(reference)s.") % {"reference": bank_reference}
        claim.set_status(to=ClaimStatus.REFUNDED, by=user, reason=f"{reason} {note}".strip())
    return claim
