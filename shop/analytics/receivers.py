"""What Oscar's analytics receivers count (oscar.apps.analytics.receivers), with product views through the task queue."""

import logging
import threading
import time
from collections import Counter
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")


def add(model, lookup, **amounts):
    """Add to counters of the row found by lookup, creating it on first use (race-safe through get_or_create)."""
    with transaction.atomic():
        record, created = model.objects.get_or_create(**lookup, defaults=amounts)
        if not created:
            model.objects.filter(pk=record.pk).update(**{field: F(field) + value for field, value in amounts.items()})


logger = logging.getLogger(__name__)


def count_views(views):
    """Add `views` ([product id, viewer's user id or None, how many], ...) to the products' and viewers' figures."""
    for product_id, user_id, number in views:
        add(ProductRecord, {"product_id": product_id}, num_views=number)
        if user_id:
            add(UserRecord, {"user_id": user_id}, num_product_views=number)
            UserProductView.objects.bulk_create(
                [UserProductView(product_id=product_id, user_id=user_id) for _ in range(number)]
            )


class ViewTally:
    """The product views a process has served and not yet handed to the task queue.

    A task per view would cost every product page a write to the queue's table (and a worker a run per view); the
    views are handed over together instead, at most every ANALYTICS_VIEWS_SECONDS, by the first view after that time,
    and when a gunicorn worker stops (gunicorn.conf.py). The lock keeps a threaded server's counts whole.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.since = time.monotonic()

    def add(self, product_id, user_id, seconds):
        """Count one view; the views to hand over now, or None while they are kept."""
        with self.lock:
            self.counts[(product_id, user_id)] += 1
            if time.monotonic() - self.since < seconds:
                return None
            return self.take()

    def take(self):
        counts, self.counts, self.since = self.counts, Counter(), time.monotonic()
        return [[product_id, user_id, number] for (product_id, user_id), number in counts.items()]

    def flush(self):
        """Hand every kept view to the queue now (a worker stopping); a queue that is away loses them, logged."""
        from .tasks import product_views_count

        with self.lock:
            views = self.take()
        if views:
            try:
                product_views_count.enqueue(views=views)
            except Exception:
                logger.exception("%d product views could not be handed to the task queue", len(views))


tally = ViewTally()


def product_view_received(sender, product, user, **kwargs):
    from .tasks import product_views_count

    user_id = user.pk if user is not None and user.is_authenticated else None
    views = tally.add(product.pk, user_id, settings.ANALYTICS_VIEWS_SECONDS)
    if views:
        # robust: a queue that is briefly away loses these view counts, never the page.
        transaction.on_commit(partial(product_views_count.enqueue, views=views), robust=True)


def basket_addition_received(sender, product, user, **kwargs):
    add(ProductRecord, {"product_id": product.pk}, num_basket_additions=1)
    if user is not None and user.is_authenticated:
        add(UserRecord, {"user_id": user.pk}, num_basket_additions=1)


def order_placed_received(sender, order, user, **kwargs):
    for line in order.lines.all():
        if line.product_id:
            add(ProductRecord, {"product_id": line.product_id}, num_purchases=line.quantity)
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            record, created = UserRecord.objects.get_or_create(user=user)
            UserRecord.objects.filter(pk=record.pk).update(
                num_orders=F("num_orders") + 1,
                num_order_lines=F("num_order_lines") + order.num_lines,
                num_order_items=F("num_order_items") + order.num_items,
                total_spent=F("total_spent") + order.total_incl_tax,
                date_last_order=order.date_placed,
            )


def connect():
    uid = "shop.analytics"
    product_viewed.connect(product_view_received, dispatch_uid=uid)
    basket_addition.connect(basket_addition_received, dispatch_uid=uid)
    order_placed.connect(order_placed_received, dispatch_uid=uid)
