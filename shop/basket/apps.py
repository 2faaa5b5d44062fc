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


def voucher_added_or_removed(sender, instance, action, reverse, pk_set, **kwargs):
    """Keep each basket's may_hold_vouchers true whenever it holds a voucher, from either side of the relation."""
    from oscar.core.loading import get_model

    Basket = get_model("basket", "Basket")
    if reverse:  # a voucher's baskets changed
        if action == "post_add":
            Basket.objects.filter(pk__in=pk_set).update(may_hold_vouchers=True)
        # A voucher taken out of baskets from its side leaves them flagged: they look for voucher offers and find none.
        return
    if action == "post_add":
        holds = True
    elif action in ("post_remove", "post_clear"):
        holds = instance.vouchers.exists()
    else:
        return
    Basket.objects.filter(pk=instance.pk).update(may_hold_vouchers=holds)
    instance.may_hold_vouchers = holds  # the basket already loaded in this request
