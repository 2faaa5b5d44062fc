from django import template

from shop.catalogue import category_cache

register = template.Library()


@register.simple_tag
def categories_version():
    return category_cache.categories_version()


@register.simple_tag
def listing_version():
    from shop.catalogue.listing_cache import listing_version as version

    return version()
