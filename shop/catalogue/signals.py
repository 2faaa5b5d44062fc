from django.utils import timezone
from oscar.core.loading import get_model


def picture_changed(sender, instance, raw=False, **kwargs):
    # Pictures are cached with the product's update time: a picture added, replaced or removed updates the product.
    if not raw:
        get_model("catalogue", "Product").objects.filter(pk=instance.product_id).update(date_updated=timezone.now())


def category_changed(sender, instance, raw=False, **kwargs):
    from .templatetags.catalogue_menu import menu_forget

    # The header's menu is cached until a category changes.
    menu_forget()
