"""What Oscar's analytics receivers count (oscar.apps.analytics.receivers), with product views through the task queue."""

from functools import partial

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


def count_view(product_id, user_id=None):
    add(ProductRecord, {"product_id": product_id}, num_views=1)
    if user_id:
        add(UserRecord, {"user_id": user_id}, num_product_views=1)
        UserProductView.objects.create(product_id=product_id, user_id=user_id)


def product_view_received(sender, product, user, **kwargs):
    from .tasks import product_view_count

    user_id = user.pk if user is not None and user.is_authenticated else None
    # robust: a queue that is briefly away loses a view count, never the page.
    transaction.on_commit(partial(product_view_count.enqueue, product_id=product.pk, user_id=user_id), robust=True)


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
