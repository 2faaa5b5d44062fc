from django import template

from shop.catalogue import category_cache, listing_cache

register = template.Library()


@register.simple_tag
def categories_version():
    return category_cache.categories_version()


@register.simple_tag
def listing_version():
    return listing_cache.listing_version()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        vary = [expression.resolve(context) for expression in self.vary]

        def render(csrf_token):
            with context.push(csrf_token=csrf_token):
                return self.nodelist.render(context)

        return listing_cache.shared_fragment(context.get("request"), self.name, vary, render)


@register.tag
def sharedfragment(parser, token):
    """Cache a part of a page that every visitor sees alike, until the catalogue or the published pages change.

        {% sharedfragment "product-main" product.pk review_permitted %} ... {% endsharedfragment %}

    The name and the values after it make the key, with the listing version, today's date and the language. Forms
    inside keep working: each visitor gets their own CSRF token. Anything that depends on who is looking must either
    stay outside or be one of the values.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("sharedfragment needs a quoted name, then the values it depends on")
    nodelist = parser.parse(("endsharedfragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
