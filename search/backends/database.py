from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from search.highlight import highlight
from search.indexing import entry_rows
from search.models import ProductSearchEntry
from search.text import query_prefixes, query_terms
from suppliers.models import Partner

from .base import (
    PRICE_RANGES,
    QUALITY_LABELS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
    SORT_TITLE,
    Facet,
    SearchBackend,
    SearchQuery,
    SearchResult,
)

FACET_SIZE = 12


def price_range_q(index):
    low, high = PRICE_RANGES[index]
    q = Q(price__gte=low)
    return q & Q(price__lt=high) if high is not None else q


def price_range_label(index):
    low, high = PRICE_RANGES[index]
    if high is None:
        return _("¥%(low)s and above") % {"low": low}
    return _("¥%(low)s–%(high)s") % {"low": low, "high": high}


class DatabaseBackend(SearchBackend):
    """Searches the project's own ProductSearchEntry table: the embedded default, on SQLite or PostgreSQL."""

    def sellable(self, on=None):
        on = on or timezone.localdate()
        return ProductSearchEntry.objects.filter(sellable_from__lte=on, sellable_until__gte=on)

    def matching(self, entries, terms):
        """Entries holding every query word: through the full-text index on PostgreSQL, a substring test elsewhere."""
        for term in terms:
            prefixes = query_prefixes(term)
            if connection.vendor == "postgresql" and prefixes:
                raw = " & ".join(f"{prefix}:*" for prefix in prefixes)
                entries = entries.filter(search_vector=PgSearchQuery(raw, config="simple", search_type="raw"))
            else:
                entries = entries.filter(text__contains=term)
        return entries

    def filtered(self, query: SearchQuery):
        entries = self.matching(self.sellable(), query_terms(query.text))
        for category_id in query.category_ids:
            entries = entries.filter(category_ids__contains=f"|{int(category_id)}|")
        if query.partner_id:
            entries = entries.filter(partner_id=query.partner_id)
        if query.region_code:
            entries = entries.filter(region_code__startswith=query.region_code.rstrip("0") or query.region_code)
        if query.price_range is not None and 0 <= query.price_range < len(PRICE_RANGES):
            entries = entries.filter(price_range_q(query.price_range))
        if query.supplier_type:
            entries = entries.filter(supplier_type=query.supplier_type)
        if query.quality in QUALITY_LABELS:
            entries = entries.filter(quality_marks__contains=f"|{query.quality}|")
        return entries

    def ordered(self, entries, query: SearchQuery):
        if query.sort == SORT_NEWEST:
            return entries.order_by("-date_created")
        if query.sort == SORT_BEST_SELLING:
            return entries.order_by("-popularity", "-date_created")
        if query.sort == SORT_PRICE_ASC:
            return entries.order_by("price", "-date_created")
        if query.sort == SORT_PRICE_DESC:
            return entries.order_by("-price", "-date_created")
        if query.sort == SORT_TITLE:
            return entries.order_by("title", "product_id")
        if query.sort == SORT_RELEVANCE and query.text.strip():
            title_hits = [When(title__icontains=term, then=Value(1)) for term in query_terms(query.text)]
            return entries.annotate(rank=Case(*title_hits, default=Value(0), output_field=IntegerField())).order_by(
                "-rank", "-in_stock", "-date_created"
            )
        return entries.order_by("-in_stock", "-date_created")

    def search(self, query: SearchQuery) -> SearchResult:
        entries = self.filtered(query)
        # Totals, price ranges, quality marks and supplier types are fixed lists: one query counts them all.
        supplier_types = [value for value, _label in Partner.TYPE_CHOICES]
        counts = entries.aggregate(
            total=Count("pk"),
            **{f"price_{i}": Count("pk", filter=price_range_q(i)) for i in range(len(PRICE_RANGES))},
            **{f"quality_{m}": Count("pk", filter=Q(quality_marks__contains=f"|{m}|")) for m in QUALITY_LABELS},
            **{f"type_{t}": Count("pk", filter=Q(supplier_type=t)) for t in supplier_types},
        )
        total = counts["total"]
        start = (max(query.page, 1) - 1) * query.per_page
        rows = list(self.ordered(entries, query).values_list("product_id", "title")[start : start + query.per_page])
        terms = query_terms(query.text)
        facets = {}
        if total:
            facets["category"] = self.facet(entries, "category_id", "category_name")
            facets["partner"] = self.facet(entries, "partner_id", "partner_name")
            facets["county"] = self.facet(entries, "county_code", "county_name")
            facets["supplier_type"] = [
                Facet(value, str(label), counts[f"type_{value}"])
                for value, label in Partner.TYPE_CHOICES
                if counts[f"type_{value}"]
            ]
            facets["quality"] = [
                Facet(mark, str(label), counts[f"quality_{mark}"])
                for mark, label in QUALITY_LABELS.items()
                if counts[f"quality_{mark}"]
            ]
            facets["price"] = [
                Facet(str(i), price_range_label(i), counts[f"price_{i}"])
                for i in range(len(PRICE_RANGES))
                if counts[f"price_{i}"]
            ]
        return SearchResult(
            product_ids=[pk for pk, _title in rows],
            total=total,
            facets=facets,
            highlights={pk: highlight(title, terms) for pk, title in rows} if terms else {},
        )

    def suggest(self, text, limit=8):
        terms = query_terms(text)
        if not terms:
            return []
        entries = self.matching(self.sellable(), terms)
        return list(entries.order_by("-popularity", "title").values_list("title", flat=True)[:limit])

    def facet(self, entries, key, label):
        rows = (
            entries.exclude(**{f"{key}__isnull": True})
            .exclude(**{label: ""})
            .values(key, label)
            .annotate(n=Count("pk"))
            .order_by("-n", label)[:FACET_SIZE]
        )
        return [Facet(str(row[key]), row[label], row["n"]) for row in rows]

    def update(self, product_ids):
        product_ids = set(product_ids)
        if not product_ids:
            return
        rows = entry_rows(product_ids)
        with transaction.atomic():
            ProductSearchEntry.objects.filter(product_id__in=product_ids).delete()
            ProductSearchEntry.objects.bulk_create([ProductSearchEntry(**row) for row in rows.values()])
            self.fill_vectors(ProductSearchEntry.objects.filter(product_id__in=product_ids))

    def fill_vectors(self, entries):
        if connection.vendor == "postgresql":
            entries.update(search_vector=SearchVector("tokens", config="simple"))

    def rebuild(self, batch_size=500):
        Product = get_model("catalogue", "Product")
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            ProductSearchEntry.objects.all().delete()
            for i in range(0, len(ids), batch_size):
                rows = entry_rows(ids[i : i + batch_size])
                ProductSearchEntry.objects.bulk_create([ProductSearchEntry(**row) for row in rows.values()])
            self.fill_vectors(ProductSearchEntry.objects.all())
        return self.sellable().count()
