"""What the site's pages read from the shop, the certification and the reports, in a bounded number of queries."""

from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from shop.catalogue.selectors import product_cards
from shop.order import statuses
from suppliers.catalogue import certified_products
from suppliers.models import Partner, SupplierCertification
from suppliers.selectors import sellable_product_filter, valid_supplier_exists

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")

IMPACT_CACHE_SECONDS = 300
ZERO = Decimal("0.00")


def sellable_in_order(product_ids):
    """The products among these that can be bought today, in the given order, ready for Oscar's product card."""
    if not product_ids:
        return []
    products = product_cards().filter(pk__in=product_ids).filter(sellable_product_filter())
    by_id = {p.pk: p for p in products}
    ordered = []
    for pk in product_ids:
        if pk in by_id and by_id[pk] not in ordered:
            by_id[pk].is_sellable = True
            ordered.append(by_id[pk])
    return ordered


def sales_between(start=None, end=None):
    """Sales in yuan between two dates (inclusive): purchase records of units and helpers, and online orders of the
    public (a unit's online order is already a purchase record). One query each."""
    from reports.models import PurchaseRecord

    records = PurchaseRecord.objects.filter(superseded=False)
    orders = Order.objects.filter(unit__isnull=True, status__in=SOLD_ORDER_STATUSES)
    if start:
        records = records.filter(purchased_on__gte=start)
        orders = orders.filter(date_placed__date__gte=start)
    if end:
        records = records.filter(purchased_on__lte=end)
        orders = orders.filter(date_placed__date__lte=end)
    recorded = records.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]
    online = orders.aggregate(total=Coalesce(Sum("total_incl_tax"), ZERO))["total"]
    return recorded + online


# Orders of the public count as sales once paid (cash on delivery once delivered); refunds and cancellations do not.
SOLD_ORDER_STATUSES = (
    statuses.PAID,
    statuses.PARTLY_SHIPPED,
    statuses.SHIPPED,
    statuses.DELIVERED,
    statuses.RECEIVED,
)


def impact_figures():
    """Total sales, certified suppliers and products, and households linked; kept for a few minutes."""

    def compute():
        today = timezone.localdate()
        certified_partners = Partner.objects.filter(valid_supplier_exists(today, partner_ref="pk"))
        return {
            "sales": sales_between(),
            "suppliers": SupplierCertification.objects.valid(today).values("partner").distinct().count(),
            "products": certified_products(on=today).count(),
            "households": certified_partners.aggregate(total=Coalesce(Sum("households_linked"), 0))["total"],
        }

    return cache.get_or_set("cms:impact-figures", compute, IMPACT_CACHE_SECONDS)


def region_product_ids(region, limit=48):
    """Certified products of suppliers in the region (and everything under it), newest certificates first."""
    return list(
        certified_products()
        .filter(partner__region__code__startswith=region.prefix)
        .order_by("-valid_from", "product__title")
        .values_list("product_id", flat=True)[:limit]
    )


def region_suppliers(region):
    today = timezone.localdate()
    return (
        Partner.objects.filter(region__code__startswith=region.prefix)
        .filter(valid_supplier_exists(today, partner_ref="pk"))
        .select_related("region")
        .order_by("name")
    )


def new_in_regions(regions, days=90, limit=24):  # product ids
    """Products certified in the last `days` days in any of these regions, newest first."""
    from django.db.models import Q

    if not regions:
        return []
    since = timezone.localdate() - timedelta(days=days)
    where = Q()
    for region in regions:
        where |= Q(partner__region__code__startswith=region.prefix)
    return list(
        certified_products()
        .filter(where, valid_from__gte=since)
        .order_by("-valid_from")
        .values_list("product_id", flat=True)[:limit]
    )
