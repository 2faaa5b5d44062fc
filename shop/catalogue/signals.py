from django.dispatch import Signal
from django.utils import timezone
from oscar.core.loading import get_model

# Sent by the product page instead of Oscar's product_viewed, whose analytics receiver writes a counter row inside
# every read request; the browsing history Oscar keeps for the visitor is connected to this one as well.
product_page_viewed = Signal()


def picture_changed(sender, instance, raw=False, **kwargs):
    # Pictures are cached with the product's update time: a picture added, replaced or removed updates the product.
    if not raw:
        get_model("catalogue", "Product").objects.filter(pk=instance.product_id).update(date_updated=timezone.now())
