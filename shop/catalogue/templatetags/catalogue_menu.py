from django import template
from oscar.core.loading import get_model

register = template.Library()
Category = get_model("catalogue", "Category")


@register.simple_tag
def menu_categories():
    """The top-level categories of the header's menu (what Oscar's `category_tree depth=1` lists), in one query of the
    few columns a menu link needs: Oscar's tag reads every column of the menu's categories after a second query for
    those left out of menus, on every page."""
    return list(
        Category.objects.browsable()
        .filter(depth=1, exclude_from_menu=False)
        .only("id", "path", "depth", "numchild", "name", "slug")
    )
