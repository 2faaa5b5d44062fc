from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def stars(rating):
    """Five booleans, one per star: filled up to the rating rounded half up to a whole star."""
    if not rating:
        return [False] * 5
    filled = int(Decimal(str(rating)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return [n <= filled for n in range(1, 6)]
