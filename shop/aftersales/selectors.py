from django.db.models import Q
from django.utils import timezone

from accounts.permissions import ANSWER_CLAIMS, DECIDE_CLAIMS
from shop.aftersales.models import Claim, ClaimStatus


def claims_of_buyer(*, user):
    return Claim.objects.filter(buyer=user).select_related("order", "line")


def claims_in_back_office(*, user):
    """The claims a person may open in the back office: their suppliers' (supplier staff), every one (operators)."""
    claims = Claim.objects.select_related("order", "line", "partner")
    if user.is_superuser or user.has_perm(DECIDE_CLAIMS):
        return claims
    if user.has_perm(ANSWER_CLAIMS):
        return claims.filter(partner__users=user)
    return claims.none()


def claims_to_answer(*, user):
    return claims_in_back_office(user=user).filter(partner__users=user, status=ClaimStatus.SUBMITTED)


def claims_to_decide(*, user, now=None):
    if not (user.is_superuser or user.has_perm(DECIDE_CLAIMS)):
        return Claim.objects.none()
    now = now or timezone.now()
    return Claim.objects.filter(
        Q(status=ClaimStatus.DISPUTED) | Q(status=ClaimStatus.SUBMITTED, answer_due__lt=now)
    ).select_related("order", "line", "partner")


def claim_history(*, claim):
    return claim.status_changes.select_related("changed_by")


def may_see_photo(user, claim):
    if claim.buyer_id == user.pk or user.is_superuser or user.has_perm(DECIDE_CLAIMS):
        return True
    return user.has_perm(ANSWER_CLAIMS) and claim.partner.users.filter(pk=user.pk).exists()
