from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from shop.basket.offers import Applicator


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, with the cached site offers, and keeping the offers it applied for the basket page."""

    def get_cookie_basket(self, cookie_key, request, manager):
        # As Oscar does, through the open-basket manager: the basket then knows whether it holds any voucher.
        basket = None
        if cookie_key in request.COOKIES:
            try:
                basket_id = Signer().unsign(request.COOKIES[cookie_key])
                basket = manager.get(pk=basket_id, owner=None)
            except (BadSignature, manager.model.DoesNotExist):
                request.cookies_to_delete.append(cookie_key)
        return basket

    def apply_offers_to_basket(self, request, basket):
        if not basket.is_empty:
            applicator = Applicator()
            request.basket_offers = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, request.basket_offers)
