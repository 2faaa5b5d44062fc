"""Product-page view counts, written behind the request.

Oscar's analytics receiver updates a counter row inside every product-page request. Under concurrent load on
SQLite that write queues behind other writers and read requests fail with "database is locked"; on PostgreSQL it
turns a read page into a write. Views are counted in this process instead and written in one transaction by a
background flush, at most every ``PRODUCT_VIEWS_FLUSH_SECONDS``, and when the process exits.
"""

import atexit
import logging
import threading
from collections import Counter

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Case, F, Value, When
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)

_pending = Counter()
_lock = threading.Lock()
_timer = None


def record_product_view(sender, product, user, **kwargs):
    global _timer
    if kwargs.get("raw", False):
        return
    with _lock:
        _pending[product.pk] += 1
        if _timer is None:
            _timer = threading.Timer(settings.PRODUCT_VIEWS_FLUSH_SECONDS, _flush_in_background)
            _timer.daemon = True
            _timer.start()


def pending_views():
    with _lock:
        return dict(_pending)


def _take_pending():
    """The buffered counts, leaving the buffer empty and no flush scheduled."""
    global _timer
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        if _timer is not None:
            _timer.cancel()
            _timer = None
    return counts


def discard_pending_views():
    """Drop the buffered counts unwritten: they name products of a database that is gone (a test's, rolled back)."""
    _take_pending()


def flush_product_views():
    """Add the buffered view counts to Oscar's ProductRecord rows; returns the number of views written."""
    counts = _take_pending()
    if not counts:
        return 0
    ProductRecord = get_model("analytics", "ProductRecord")
    try:
        with transaction.atomic():
            existing = set(
                ProductRecord.objects.select_for_update()
                .filter(product_id__in=counts)
                .values_list("product_id", flat=True)
            )
            if existing:
                increment = Case(*(When(product_id=pk, then=Value(counts[pk])) for pk in existing), default=Value(0))
                ProductRecord.objects.filter(product_id__in=existing).update(num_views=F("num_views") + increment)
            Product = get_model("catalogue", "Product")
            live = set(Product.objects.filter(pk__in=set(counts) - existing).values_list("pk", flat=True))
            ProductRecord.objects.bulk_create(
                [ProductRecord(product_id=pk, num_views=counts[pk]) for pk in live], ignore_conflicts=True
            )
    except Exception:
        # Counts are statistics: put them back for the next flush rather than lose them or break a page.
        logger.exception("Could not write product view counts; keeping them for the next flush")
        with _lock:
            _pending.update(counts)
        return 0
    return sum(counts.values())


def _flush_in_background():
    global _timer
    with _lock:
        _timer = None
    try:
        flush_product_views()
    finally:
        close_old_connections()


atexit.register(flush_product_views)
