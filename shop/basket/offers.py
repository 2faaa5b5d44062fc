from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from oscar.apps.offer.applicator import Applicator as OscarApplicator
from oscar.core.loading import get_model

# The open site offers, as every basket on every page asks for them; forgotten whenever an offer, its condition or its
# benefit is saved or deleted (shop.basket.apps), and after a minute in any case (another process's change).
SITE_OFFERS_KEY = "basket:site-offers"
SITE_OFFERS_SECONDS = 60


def forget_site_offers(**kwargs):
    cache.delete(SITE_OFFERS_KEY)


class Applicator(OscarApplicator):
    def get_site_offers(self):
        # Oscar's query (open site offers within their dates, with condition and benefit), kept for a minute without
        # the start date, which is checked here on every request like the end date, so an offer starts and stops on
        # time. Each request gets its own copies of the offers from the cache.
        ConditionalOffer = get_model("offer", "ConditionalOffer")
        offers = cache.get(SITE_OFFERS_KEY)
        if offers is None:
            offers = list(
                ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN)
                .filter(Q(end_datetime__gte=timezone.now()) | Q(end_datetime=None))
                .select_related("condition", "benefit")
            )
            cache.set(SITE_OFFERS_KEY, offers, SITE_OFFERS_SECONDS)
        now = timezone.now()
        return [
            offer
            for offer in offers
            if (offer.start_datetime is None or offer.start_datetime <= now)
            and (offer.end_datetime is None or offer.end_datetime >= now)
        ]

    def get_basket_offers(self, basket, user):
        # Voucher offers are looked up only for a basket that may hold a voucher (shop.basket.models.Basket).
        if not basket.may_hold_vouchers:
            return []
        return super().get_basket_offers(basket, user)
