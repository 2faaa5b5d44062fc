"""Amounts formatted for display, remembered.

Oscar's `currency` template filter hands every amount to Babel, which parses the number pattern and walks the locale
data on each call: formatting the prices on a basket page cost as much as rendering the rest of its lines. The result
depends only on the amount, the currency, the locale and the format options, and the same amounts come back again and
again (a product's price on every page that shows it), so each formatted amount is kept in a bounded in-process table.
CatalogueConfig.ready() puts this function in place of Babel's in Oscar's filter module.
"""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency as babel_format_currency


@lru_cache(maxsize=8192)
def _format(amount, currency, locale, options):
    return babel_format_currency(Decimal(amount), currency, locale=locale, **dict(options))


def format_currency(number, currency, **options):
    """Babel's format_currency(number, currency, locale=…, format=…, …), answered from the table when seen before."""
    # The text of the Decimal, not the Decimal: 1.5 and 1.50 are equal but need not print alike in every format.
    locale = options.pop("locale", None)
    locale = None if locale is None else str(locale)
    return _format(str(number), currency, locale, tuple(sorted(options.items())))
