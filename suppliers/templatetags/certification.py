from django import template

from suppliers.selectors import product_valid_certification

register = template.Library()


@register.simple_tag
def product_certification(product):
    """The certification that lets this product be sold today, with the places of its origin (two queries)."""
    certification = product_valid_certification(product=product)
    if certification is None:
        return None
    # Where the product comes from: its own place of origin when recorded, else the supplier's.
    region = product.origin if product.origin_id else certification.partner.region
    return {
        "certification": certification,
        "supplier": certification.partner,
        "places": region.ancestors(include_self=True) if region else [],
    }
