"""Keys for cached catalogue listings, computed from the search rows they show.

A listing (catalogue, category, search) is cached in two parts:

- the search engine's answer for one query (the page's product ids, the total and the facet counts), with the
  listing's head, facets and page links rendered from it: keyed on the query and on the search table's state, its row
  count and its latest write (`index_state`), so any change to any product, price, stock or certification is seen on
  the next request;
- the grid of product cards: keyed on each shown product's own row and the time it was last written
  (`grid_key`), so a changed product only renders again the grids it is in.

Nothing per visitor is cached: the cards' add-to-basket buttons post through one form outside the cached HTML, which
carries the visitor's own CSRF token (oscar/partials/card_basket_form.html).
"""

import hashlib

from django.db.models import Count, Max
from django.utils import timezone

from .models import ProductSearchEntry


def digest(*parts):
    return hashlib.md5("|".join(str(part) for part in parts).encode(), usedforsecurity=False).hexdigest()


def index_state():
    """The search table's row count and latest write, and today's date (which products are sellable changes daily)."""
    state = ProductSearchEntry.objects.aggregate(rows=Count("pk"), last=Max("indexed_at"))
    last = state["last"].isoformat() if state["last"] else "-"
    return f"{state['rows']}/{last}/{timezone.localdate().isoformat()}"


def grid_key(product_ids, *vary_on):
    """A key for the cards of these products: their ids in order, with the time each one's search row was written."""
    written = dict(ProductSearchEntry.objects.filter(pk__in=product_ids).values_list("pk", "indexed_at"))
    return digest(*(f"{pk}@{written.get(pk)}" for pk in product_ids), *vary_on)
