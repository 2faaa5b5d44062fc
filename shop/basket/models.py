from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.apps.basket.managers import OpenBasketManager


class OpenBaskets(OpenBasketManager):
    """Open baskets, each knowing whether it holds a voucher, so that most baskets need no voucher query."""

    def get_queryset(self):
        vouchers = self.model.vouchers.through.objects.filter(basket_id=OuterRef("pk"))
        return super().get_queryset().annotate(has_vouchers=Exists(vouchers))


class Basket(AbstractBasket):
    # Declared again, first, so that `objects` (every basket, frozen ones too) stays the default manager.
    objects = models.Manager()
    open = OpenBaskets()

    def all_lines(self):
        # A visitor's basket is not saved until something is put in it, and most pages are seen with such a basket.
        # Oscar answers with an empty queryset, which Django compiles (joins and all) each time it is read: the header
        # reads the lines, their count, total and currency, several milliseconds each for nothing.
        if self.id is None:
            return ()
        return super().all_lines()

    @property
    def num_lines(self):
        # Oscar counts with COUNT(*); every page that asks also shows or prices the lines, so load them once instead.
        return len(self.all_lines())


class LineManager(models.Manager):
    def get_queryset(self):
        # Every page that shows a basket prices each line and names its supplier and product class: Oscar's
        # all_lines() adds the product and stock record to this, and these come in the same query. Whether each
        # product may be sold today comes with them, from the days its search row says it may be sold (the catalogue's
        # rule, kept by search.indexing on every certification change): the strategy asks no more for those that may
        # (suppliers.strategy.CertifiedOnly.fetch_for_line) and finds the reason itself for the others.
        today = timezone.localdate()
        sellable = Q(product__search_entry__sellable_from__lte=today, product__search_entry__sellable_until__gte=today)
        return (
            super()
            .get_queryset()
            .select_related("product__product_class", "stockrecord__partner")
            .annotate(
                product_sellable=ExpressionWrapper(sellable, output_field=BooleanField()),
                # When the product's search row was last written: the basket page's lines are cached on it.
                product_written=F("product__search_entry__indexed_at"),
            )
        )


class Line(AbstractLine):
    objects = LineManager()


from oscar.apps.basket.models import *  # noqa: E402,F403
