from oscar.apps.offer.applicator import Applicator as OscarApplicator


class Applicator(OscarApplicator):
    def get_basket_offers(self, basket, user):
        # Voucher offers are looked up only for a basket that holds a voucher (shop.basket.models.OpenBaskets).
        if getattr(basket, "has_vouchers", True) is False:
            return []
        return super().get_basket_offers(basket, user)
