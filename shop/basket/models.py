from django.db import models
from django.db.models import Exists, OuterRef, prefetch_related_objects
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.apps.basket.managers import OpenBasketManager

from config.prefetch import set_prefetched
from config.prepared import Prepared
from shop.catalogue.listing_cache import prefetch_images


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
        if self._lines is None:
            self._lines = self._load_lines()
        return self._lines

    def _load_lines(self):
        # Every page that shows the basket prices each line and shows its product's picture: the lines come with
        # their product, class, stock record and supplier in one query, whatever the number of lines.
        if self.id is None:
            # A visitor who never added anything: nothing to ask the database, nor to build a query for.
            return self._no_lines()
        return self._complete_lines(lines_of_basket(basket_id=self.id, known={"basket": self}))

    def _no_lines(self):
        # Known to be empty: an evaluated queryset of no rows, so nothing asks the database.
        lines = self.lines.model.objects.none()
        lines._result_cache, lines._prefetch_done = [], True
        return lines

    def _complete_lines(self, lines):
        # Options are fetched only for lines that have any, parents only for variants, pictures from the listing cache.
        prefetch_related_objects([line for line in lines if line.has_attributes], "attributes")
        for line in lines:
            if not line.has_attributes:
                set_prefetched(line, "attributes", [])
        # A variant takes its class (and its pictures, when it has none) from its parent.
        prefetch_related_objects([line.product for line in lines if line.product.parent_id], "parent__product_class")
        prefetch_images({line.product_id: line.product for line in lines}.values())
        return lines

    @property
    def num_lines(self):
        # Oscar counts with COUNT(*); every page that asks also shows or prices the lines, so load them once instead.
        return len(self.all_lines())


# No basket has a negative id: the stand-in the two queries below are compiled with.
STAND_IN_ID = -1_000_000_007


def _lines_of_basket(basket_id):
    Line = Basket.lines.rel.related_model
    LineAttribute = Line.attributes.rel.related_model
    return (
        Line.objects.filter(basket_id=basket_id)
        .select_related("product__product_class", "stockrecord__partner")
        .annotate(has_attributes=Exists(LineAttribute.objects.filter(line_id=OuterRef("pk"))))
        .order_by("pk")
    )


def _lines_of_anonymous_open_basket(basket_id):
    vouchers = Basket.vouchers.through.objects.filter(basket_id=OuterRef("basket_id"))
    return (
        _lines_of_basket(basket_id)
        .filter(basket__status=Basket.OPEN, basket__owner=None)
        .select_related("basket")
        .annotate(basket_has_vouchers=Exists(vouchers))
    )


# Asked on every page that shows or prices a basket: compiled once per connection (config/prepared.py).
lines_of_basket = Prepared(_lines_of_basket, basket_id=STAND_IN_ID)
lines_of_anonymous_open_basket = Prepared(_lines_of_anonymous_open_basket, basket_id=STAND_IN_ID)
anonymous_open_basket = Prepared(lambda basket_id: Basket.open.filter(pk=basket_id, owner=None), basket_id=STAND_IN_ID)


def find_anonymous_open_basket(basket_id):
    """The open basket of a visitor's cookie with its lines, or None: one query for a basket holding anything."""
    lines = lines_of_anonymous_open_basket(basket_id=basket_id)
    if lines:
        basket = lines[0].basket
        basket.has_vouchers = lines[0].basket_has_vouchers
        for line in lines:
            line.basket = basket
        basket._lines = basket._complete_lines(lines)
        return basket
    # No lines: an empty basket, or none at all.
    found = anonymous_open_basket(basket_id=basket_id)
    if not found:
        return None
    basket = found[0]
    basket._lines = basket._no_lines()
    return basket


from oscar.apps.basket.models import *  # noqa: E402,F403
