from django import template
from django.conf import settings
from oscar.core.loading import get_model

register = template.Library()
Category = get_model("catalogue", "Category")


@register.filter
def is_perishable(product):
    """Whether the product sits under one of the perishable top-level categories (fresh fruit, meat, fish)."""
    roots = {category.path[: Category.steplen] for category in product.get_categories()}
    if not roots:
        return False
    return Category.objects.filter(
        depth=1, path__in=roots, slug__in=settings.AFTERSALES_PERISHABLE_CATEGORY_SLUGS
    ).exists()
