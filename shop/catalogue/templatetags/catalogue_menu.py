from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from oscar.core.loading import get_model

register = template.Library()
Category = get_model("catalogue", "Category")

# The header's category dropdown is cached as HTML, one fragment per language (`{% cache %}` in
# oscar/partials/nav_primary.html, under MENU_FRAGMENT with LANGUAGE_CODE), and forgotten when a category is saved or
# deleted (shop.catalogue.signals); the time bounds what a tree move, which saves no category, can leave in the menu.
MENU_FRAGMENT = "catalogue-menu"
MENU_CACHE_SECONDS = 300


def menu_forget():
    cache.delete_many([make_template_fragment_key(MENU_FRAGMENT, [code]) for code, _name in settings.LANGUAGES])


@register.simple_tag
def menu_cache_seconds():
    return MENU_CACHE_SECONDS


@register.simple_tag
def menu_categories():
    """The top-level categories of the header's menu (what Oscar's `category_tree depth=1` lists): one narrow query of
    the few columns a menu link needs, asked when the menu's fragment is not in the cache."""
    return list(
        Category.objects.browsable()
        .filter(depth=1, exclude_from_menu=False)
        .only("id", "path", "depth", "numchild", "name", "slug")
    )
