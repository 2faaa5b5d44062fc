from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from shop.basket.offers import Applicator


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, keeping the offers it applied for the basket page."""

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's lookup, through the open-basket manager so that the basket knows whether it holds a voucher.
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket_id = int(Signer().unsign(request.COOKIES[cookie_key]))
            return manager.get(pk=basket_id, owner=None)
        except (BadSignature, ValueError, manager.model.DoesNotExist):
            request.cookies_to_delete.append(cookie_key)
            return None

    def apply_offers_to_basket(self, request, basket):
        if not basket.is_empty:
            applicator = Applicator()
            request.basket_offers = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, request.basket_offers)
