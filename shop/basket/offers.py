"""The offers a basket is checked against, with the shop-wide ones kept in the cache.

Every page that shows the basket applies the offers to it. Site offers are the same for every visitor: they are kept
under a version that saving or deleting an offer, its condition or its benefit replaces, and the ones whose dates do
not cover this moment are left out on each request (an offer may start or end at any minute). Voucher offers are
looked up only for a basket that holds a voucher.
"""

from django.core.cache import cache
from django.utils import timezone
from oscar.apps.offer.applicator import Applicator as OscarApplicator
from oscar.core.loading import get_model

from config.cache_versions import CacheVersion

VERSION = CacheVersion("offer:site-offers-version")
TIMEOUT = 600
OFFER_MODELS = [("offer", "ConditionalOffer"), ("offer", "Condition"), ("offer", "Benefit")]

offers_changed = VERSION.replace


def site_offers():
    """Open site offers not yet ended, with condition and benefit, from the cache when no offer changed since."""
    cache_key = f"offer:site-offers:{VERSION.get()}"
    offers = cache.get(cache_key)
    if offers is None:
        ConditionalOffer = get_model("offer", "ConditionalOffer")
        offers = list(
            ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN)
            .exclude(end_datetime__lt=timezone.now())
            .select_related("condition", "benefit")
        )
        cache.set(cache_key, offers, TIMEOUT)
    return offers


class Applicator(OscarApplicator):
    def get_site_offers(self):
        # Oscar's ActiveOfferManager: open, started (or no start) and not ended (or no end) at this moment.
        now = timezone.now()
        return [
            offer
            for offer in site_offers()
            if (offer.start_datetime is None or offer.start_datetime <= now)
            and (offer.end_datetime is None or offer.end_datetime >= now)
        ]

    def get_basket_offers(self, basket, user):
        if getattr(basket, "has_vouchers", True) is False:
            return []
        return super().get_basket_offers(basket, user)
