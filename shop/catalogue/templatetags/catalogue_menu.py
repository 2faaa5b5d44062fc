from django import template
from django.core.cache import cache
from oscar.core.loading import get_model

register = template.Library()
Category = get_model("catalogue", "Category")

# Emptied when a category is saved or deleted (shop.catalogue.signals); the time bounds what a tree move, which
# saves no category, can leave in the menu.
MENU_CACHE_KEY = "catalogue-menu"
MENU_CACHE_SECONDS = 300


@register.simple_tag
def menu_categories():
    """The top-level categories of the header's menu (what Oscar's `category_tree depth=1` lists): one narrow query of
    the few columns a menu link needs, kept in the cache until a category changes."""
    categories = cache.get(MENU_CACHE_KEY)
    if categories is None:
        categories = list(
            Category.objects.browsable()
            .filter(depth=1, exclude_from_menu=False)
            .only("id", "path", "depth", "numchild", "name", "slug")
        )
        cache.set(MENU_CACHE_KEY, categories, MENU_CACHE_SECONDS)
    return categories
