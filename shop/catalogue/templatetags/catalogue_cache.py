from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from shop.catalogue import category_cache, listing_cache

register = template.Library()


@register.simple_tag
def categories_version():
    return category_cache.categories_version()


@register.simple_tag
def listing_version():
    return listing_cache.listing_version()


FILLED_KEYWORD = "filled"


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, filled=()):
        self.nodelist, self.name, self.vary, self.filled = nodelist, name, vary, list(filled)

    def render(self, context):
        vary = [expression.resolve(context) for expression in self.vary]
        # Each filled variable renders as a placeholder, replaced on the way out by this visitor's value, escaped.
        placeholders = {name: f"filled-{name}-placeholder-5e0b2d" for name in self.filled}

        def render(csrf_token):
            with context.push(csrf_token=csrf_token, **placeholders):
                return self.nodelist.render(context)

        # The page's own token (one per request) when it has one; the fragment asks for it otherwise.
        token = context.get("csrf_token")
        html = listing_cache.shared_fragment(
            context.get("request"), self.name, vary, render, token=str(token) if token else None
        )
        for name, placeholder in placeholders.items():
            html = html.replace(placeholder, conditional_escape(context.get(name, "")))
        return mark_safe(html)


@register.tag
def sharedfragment(parser, token):
    """Cache a part of a page that every visitor sees alike, until the catalogue or the published pages change.

        {% sharedfragment "product-main" product.pk review_permitted %} ... {% endsharedfragment %}
        {% sharedfragment "nav-accounts" filled language_neutral_url_path %} ... {% endsharedfragment %}

    The name and the values after it make the key, with the listing version, today's date and the language. Forms
    inside keep working: each visitor gets their own CSRF token. Variables named after `filled` may differ for each
    visitor without being part of the key: the fragment is rendered with a placeholder for each, which is replaced by
    the visitor's own value, escaped. Anything else that depends on who is looking must either stay outside or be one
    of the values.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("sharedfragment needs a quoted name, then the values it depends on")
    vary, filled = bits[2:], []
    if FILLED_KEYWORD in vary:
        vary, filled = vary[: vary.index(FILLED_KEYWORD)], vary[vary.index(FILLED_KEYWORD) + 1 :]
        if not filled or not all(name.isidentifier() for name in filled):
            raise template.TemplateSyntaxError("sharedfragment: 'filled' is followed by plain variable names")
    nodelist = parser.parse(("endsharedfragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in vary], filled)
