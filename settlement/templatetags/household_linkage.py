"""What sales bring poor households, read from the settlement ledger, for the office dashboard and the order pages."""

from django import template

from settlement.selectors import household_income, order_awaits_settlement, order_household_income

register = template.Library()


@register.simple_tag
def household_linkage(region, year):
    """The office dashboard's sales by household-linkage mechanism (see settlement.selectors.household_income)."""
    return household_income(region=region, year=year)


@register.simple_tag
def order_linkage(order):
    """The order's share for poor households, for the buyer's and the operator's order pages; with no ledger entry
    yet, whether the order will count once its money is received."""
    figures = order_household_income(order=order)
    figures["awaiting"] = not figures["rows"] and order_awaits_settlement(order=order)
    return figures
