from django import template

from suppliers.selectors import product_valid_certification
from suppliers.strategy import CertifiedOnly

register = template.Library()


@register.simple_tag(takes_context=True)
def product_certification(context, product):
    """The certification that lets this product be sold today, with the places of its origin.

    The request's strategy has usually found it already, when it asked whether the product may be sold; a product
    whose sales are suspended while a change is reviewed is still certified, and is looked up on its own.
    """
    strategy = getattr(context.get("request"), "strategy", None)
    certification = strategy.sellable_certification(product) if isinstance(strategy, CertifiedOnly) else None
    if certification is None:
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


@register.simple_tag
def lowest_recent_price(stockrecord):
    """The lowest price of the last 30 days, when today's price is higher (see selectors.lowest_recent_price)."""
    from suppliers.selectors import lowest_recent_price as lowest

    return lowest(stockrecord=stockrecord)
