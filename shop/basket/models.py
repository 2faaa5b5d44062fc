from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.apps.basket.managers import OpenBasketManager

# What a page that draws a basket's lines needs beside them: each line's options (its description) and its product's
# pictures. Oscar's all_lines() prefetches both for every page that loads a basket; here only where lines are drawn.
LINE_DETAILS = ("attributes", "product__images")


def load_line_details(lines):
    """`lines` (a basket's loaded lines) with their LINE_DETAILS, one query each for all of them."""
    if lines:
        prefetch_related_objects(list(lines), *LINE_DETAILS)
    return lines


class Basket(AbstractBasket):
    # Declared again, first, so that `objects` (every basket, frozen ones too) stays the default manager.
    objects = models.Manager()
    open = OpenBasketManager()

    # Whether a voucher may be in the basket, so that most baskets, which hold none, are priced without looking for
    # voucher offers (shop.basket.offers.Applicator): set when a voucher is added, worked out again when one is
    # removed (shop.basket.apps.voucher_added_or_removed). Never false for a basket that holds a voucher.
    may_hold_vouchers = models.BooleanField(_("May hold vouchers"), default=False, editable=False)

    # Oscar's queryset of lines that `loaded_lines` was made from (see all_lines).
    lines_source = None
    loaded_lines = None

    def __str__(self):
        # Oscar's wording with the status by its label (Oscar writes the stored code: "Submitted 购物车…").
        return _("%(status)s basket (owner: %(owner)s, lines: %(num_lines)d)") % {
            "status": self.get_status_display(),
            "owner": self.owner,
            "num_lines": self.num_lines,
        }

    def all_lines(self):
        # A visitor's basket is not saved until something is put in it, and most pages are seen with such a basket.
        # Oscar answers with an empty queryset, which Django compiles (joins and all) each time it is read: the header
        # reads the lines, their count, total and currency, several milliseconds each for nothing.
        if self.id is None:
            return ()
        # Oscar keeps one queryset of lines until the basket changes (a line added, merged, the offers reset) and
        # gives it two prefetches, two more queries on every page that loads a basket, though most pages only price
        # the lines and count them. The same queryset without them is kept beside Oscar's, made again whenever Oscar
        # makes a new one; pages that draw the lines ask for their details (with_line_details).
        lines = super().all_lines()
        if self.lines_source is not lines:
            self.lines_source = lines
            self.loaded_lines = lines.prefetch_related(None)
        return self.loaded_lines

    def with_line_details(self):
        """The lines with their options and products' pictures (a query each, once), for a page that draws them."""
        return load_line_details(self.all_lines())

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
    # Oscar's field, with the name Oscar leaves it without.
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="basket_lines", verbose_name=_("Stock record")
    )

    objects = LineManager()


from oscar.apps.basket.models import *  # noqa: E402,F403
