from django import template

from reports.selectors import household_income

register = template.Library()


@register.simple_tag
def household_linkage(region, year):
    """The office dashboard's sales by household-linkage mechanism (see reports.selectors.household_income)."""
    return household_income(region=region, year=year)
