from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from shop.basket.offers import Applicator


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's basket middleware, with the cached site offers, and keeping the offers it applied for the basket page."""

    def get_cookie_basket(self, cookie_key, request, manager):
        # Oscar's `manager.get(pk=…, owner=None)` through the open-basket manager, read with the basket's lines and
        # whether it holds any voucher (compiled once per connection). A cookie that is not ours, or names no open
        # basket, goes.
        from shop.basket.models import find_anonymous_open_basket

        if cookie_key not in request.COOKIES:
            return None
        try:
            basket_id = int(Signer().unsign(request.COOKIES[cookie_key]))
        except (BadSignature, ValueError):
            basket_id = None
        basket = find_anonymous_open_basket(basket_id) if basket_id is not None else None
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket

    def apply_offers_to_basket(self, request, basket):
        if not basket.is_empty:
            applicator = Applicator()
            request.basket_offers = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, request.basket_offers)
