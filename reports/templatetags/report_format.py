"""How report figures read on a page: Chinese labels for stored codes, money with separators, plain quantities."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from reports.models import Category, Channel, Confirmation, PaymentMethod, SellerKind, Source, UnitOfMeasure

register = template.Library()

LABELS = {
    "category": dict(Category.choices),
    "seller_kind": dict(SellerKind.choices),
    "unit_of_measure": dict(UnitOfMeasure.choices),
    "confirmation": dict(Confirmation.choices),
    "channel": dict(Channel.choices),
    "payment_method": dict(PaymentMethod.choices),
    "source": dict(Source.choices),
}


@register.filter
def choice_label(code, kind):
    """The label of a stored choice code (`tea` → 茶叶); an unknown code is shown as stored."""
    return LABELS.get(kind, {}).get(code, code)


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def yuan(value):
    """Money as 1,234,567.80: two decimals, thousands separated."""
    amount = _decimal(value)
    if amount is None:
        return value
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@register.filter
def quantity(value):
    """A quantity without the noise a database sum leaves (18.0630000000000 → 18.063), never in exponent form."""
    number = _decimal(value)
    if number is None:
        return value
    number = number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
    return f"{number:,f}"
