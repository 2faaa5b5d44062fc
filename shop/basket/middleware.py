from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, keeping the offers it applied so the basket page need not look them up again."""

    def apply_offers_to_basket(self, request, basket):
        if not basket.is_empty:
            applicator = Applicator()
            request.basket_offers = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, request.basket_offers)
