from django import template

from shop.catalogue.richtext import clean_html as sanitise

register = template.Library()


@register.filter(is_safe=True)
def clean_html(value):
    """HTML someone typed, with only harmless markup left: the only way such HTML reaches a page."""
    return sanitise(value)
