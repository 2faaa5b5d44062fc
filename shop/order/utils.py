from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class SoldOut(UnableToPlaceOrder):
    """Not enough stock left when the order was placed; nothing was charged."""


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Allocate under a row lock, so that two buyers never get the same last unit.

        Oscar calls this inside the order transaction, in stock-record order, so locks are taken in the same order
        by every placement and cannot deadlock.
        """
        if not line.product.get_product_class().track_stock:
            return
        stockrecord = StockRecord.objects.select_for_update().get(pk=line.stockrecord_id)
        available = (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0)
        if line.quantity > available:
            if available <= 0:
                message = _("“%(title)s” has just sold out. Nothing has been charged.")
            else:
                message = _("Only %(available)s of “%(title)s” are left. Nothing has been charged.")
            raise SoldOut(message % {"title": line.product.get_title(), "available": available})
        stockrecord.allocate(line.quantity)
        line.stockrecord = stockrecord
