import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "shop.basket"

    def ready(self):
        super().ready()
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from oscar.core.loading import get_model

        from .offers import forget_site_offers

        for name in ("ConditionalOffer", "Condition", "Benefit"):
            model = get_model("offer", name)
            for signal in (post_save, post_delete):
                signal.connect(forget_site_offers, sender=model, dispatch_uid=f"shop.basket.site_offers.{name}")

        Basket = get_model("basket", "Basket")
        m2m_changed.connect(
            voucher_added_or_removed, sender=Basket.vouchers.through, dispatch_uid="shop.basket.vouchers_changed"
        )


def voucher_added_or_removed(sender, instance, action, **kwargs):
    # A basket loaded before a voucher was added must not go on believing it holds none.
    if action in ("post_add", "post_remove", "post_clear") and hasattr(instance, "has_vouchers"):
        del instance.has_vouchers
