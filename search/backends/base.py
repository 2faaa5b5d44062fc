from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SORT_RELEVANCE = "relevancy"
SORT_NEWEST = "newest"
SORT_PRICE_ASC = "price-asc"
SORT_PRICE_DESC = "price-desc"
SORT_TITLE = "title-asc"
SORT_BEST_SELLING = "best-selling"
SORTS = (SORT_RELEVANCE, SORT_BEST_SELLING, SORT_NEWEST, SORT_PRICE_ASC, SORT_PRICE_DESC, SORT_TITLE)

# Quality-mark codes stored in the index (search.indexing.QUALITY_MARKS) and their facet labels.
QUALITY_LABELS = {
    "green": _("Green food"),
    "organic": _("Organic"),
    "gi": _("Geographical indication"),
    "quality": _("Farm produce quality certificate"),
}

# Price ranges offered as a facet, in yuan: (lower bound inclusive, upper bound exclusive or None).
PRICE_RANGES = (
    (Decimal("0"), Decimal("50")),
    (Decimal("50"), Decimal("100")),
    (Decimal("100"), Decimal("200")),
    (Decimal("200"), None),
)


class SearchUnavailable(Exception):
    """The search engine cannot be reached or did not answer in time; the database index can answer instead."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category_ids: tuple = ()
    partner_id: int | None = None
    region_code: str = ""
    price_range: int | None = None
    supplier_type: str = ""
    quality: str = ""
    sort: str = SORT_RELEVANCE
    page: int = 1
    per_page: int = 24


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    product_ids: list
    total: int
    facets: dict = field(default_factory=dict)
    # Product id → title with the matched words wrapped in <mark>, already HTML-escaped.
    highlights: dict = field(default_factory=dict)


class SearchBackend(ABC):
    """What the shop asks of a product search engine. Products are identified by primary key both ways."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """One page of sellable products matching the query, with the facet counts of all matches."""

    @abstractmethod
    def suggest(self, text, limit=8):
        """Titles of sellable products that start to match what the buyer is typing."""

    @abstractmethod
    def update(self, product_ids):
        """Bring the index in line with the database for these products (added, changed or gone)."""

    def send(self, product_ids):
        """Send the products to an index kept outside the database (search.tasks.search_send); returns the ids it did
        not take. An index in the database is written by update() in the change's own transaction: nothing to send,
        also for the updates a cluster configured before left waiting."""
        return []

    @abstractmethod
    def rebuild(self, batch_size=500):
        """Index every product again; returns how many are searchable."""
