import contextlib
import logging
import time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import A, Q, Search
from oscar.core.loading import get_model

from search.documents import SMARTCN_PLUGIN, ProductDocument
from search.indexing import entry_rows
from search.text import query_terms
from suppliers.models import Partner

from .base import (
    PRICE_RANGES,
    QUALITY_LABELS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_TITLE,
    Facet,
    SearchBackend,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from .database import FACET_SIZE, DatabaseBackend, price_range_label

logger = logging.getLogger(__name__)

SORT_FIELDS = {
    SORT_BEST_SELLING: ["-popularity", "-date_created"],
    SORT_NEWEST: ["-date_created"],
    SORT_PRICE_ASC: ["price", "-date_created"],
    SORT_PRICE_DESC: ["-price", "-date_created"],
    SORT_TITLE: ["title.raw"],
}
# Facets whose buckets carry a name for display and an id to filter on.
NAMED_FACETS = {
    "category": ("category_name", "category"),
    "partner": ("partner_name", "partner"),
    "county": ("county_name", "county_code"),
}


class ElasticsearchBackend(SearchBackend):
    """Product search on an Elasticsearch cluster (ELASTICSEARCH_URL)."""

    # After a failure the cluster is left alone this long: pages go straight to the database index instead of each
    # waiting for a timeout of its own.
    RETRY_AFTER_SECONDS = 30

    def __init__(self, client=None):
        # A buyer waits for a search at most ELASTICSEARCH_TIMEOUT seconds, with no retry, before the fallback answers.
        self.client = client or Elasticsearch(
            settings.ELASTICSEARCH_URL, request_timeout=settings.ELASTICSEARCH_TIMEOUT, max_retries=0
        )
        self.alias = ProductDocument.index_name()
        # The database index is kept beside the cluster's, so that it can answer in full when the cluster cannot.
        self.database = DatabaseBackend()
        self.unavailable_until = 0.0

    @contextlib.contextmanager
    def answering(self):
        """Errors of an unreachable or failing cluster become SearchUnavailable."""
        if time.monotonic() < self.unavailable_until:
            raise SearchUnavailable("Elasticsearch failed moments ago")
        try:
            yield
        except (TransportError, ApiError) as error:
            self.unavailable_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            logger.warning("Elasticsearch unavailable, the database index answers: %r", error)
            raise SearchUnavailable(str(error)) from error

    def sellable(self, on=None):
        on = on or timezone.localdate()
        return (
            Search(index=self.alias)
            .filter("range", sellable_from={"lte": on})
            .filter("range", sellable_until={"gte": on})
        )

    def build_search(self, query: SearchQuery, on=None) -> Search:
        search = self.sellable(on)
        terms = query_terms(query.text)
        if terms:
            search = search.query(
                Q(
                    "bool",
                    must=[
                        Q("multi_match", query=term, fields=["title^3", "text", "text.latin"], operator="and")
                        for term in terms
                    ],
                )
            )
            search = search.highlight("title", number_of_fragments=0, pre_tags=["<mark>"], post_tags=["</mark>"])
        for category_id in query.category_ids:
            search = search.filter("term", category_ids=str(int(category_id)))
        if query.partner_id:
            search = search.filter("term", partner=str(query.partner_id))
        if query.region_code:
            search = search.filter("prefix", region_code=query.region_code.rstrip("0") or query.region_code)
        if query.price_range is not None and 0 <= query.price_range < len(PRICE_RANGES):
            low, high = PRICE_RANGES[query.price_range]
            bounds = {"gte": float(low)}
            if high is not None:
                bounds["lt"] = float(high)
            search = search.filter("range", price=bounds)
        if query.supplier_type:
            search = search.filter("term", supplier_type=query.supplier_type)
        if query.quality in QUALITY_LABELS:
            search = search.filter("term", quality_marks=query.quality)
        for name, (label_field, id_field) in NAMED_FACETS.items():
            search.aggs.bucket(name, A("terms", field=label_field, size=FACET_SIZE)).bucket(
                "id", A("terms", field=id_field, size=1)
            )
        search.aggs.bucket("supplier_type", A("terms", field="supplier_type", size=len(Partner.TYPE_CHOICES)))
        search.aggs.bucket("quality", A("terms", field="quality_marks", size=len(QUALITY_LABELS)))
        ranges = [
            {"key": str(i), "from": float(low), **({"to": float(high)} if high is not None else {})}
            for i, (low, high) in enumerate(PRICE_RANGES)
        ]
        search.aggs.bucket("price", A("range", field="price", ranges=ranges))
        order = SORT_FIELDS.get(query.sort) or (
            ["_score", "-date_created"] if terms else ["-in_stock", "-date_created"]
        )
        start = (max(query.page, 1) - 1) * query.per_page
        return search.sort(*order).source(False)[start : start + query.per_page]

    def search(self, query: SearchQuery) -> SearchResult:
        with self.answering():
            response = self.build_search(query).using(self.client).execute()
        aggs = response.aggregations
        facets = {}
        for name in NAMED_FACETS:
            facets[name] = [
                Facet(str(bucket.id.buckets[0].key), bucket.key, bucket.doc_count)
                for bucket in getattr(aggs, name).buckets
                if bucket.id.buckets
            ]
        type_labels = dict(Partner.TYPE_CHOICES)
        facets["supplier_type"] = [
            Facet(b.key, str(type_labels.get(b.key, b.key)), b.doc_count) for b in aggs.supplier_type.buckets
        ]
        facets["quality"] = [
            Facet(b.key, str(QUALITY_LABELS.get(b.key, b.key)), b.doc_count) for b in aggs.quality.buckets
        ]
        facets["price"] = [
            Facet(b.key, price_range_label(int(b.key)), b.doc_count) for b in aggs.price.buckets if b.doc_count
        ]
        highlights = {}
        for hit in response:
            fragments = getattr(getattr(hit.meta, "highlight", None), "title", None)
            if fragments:
                # Elasticsearch returns the stored title with our tags added; escape everything but the tags.
                text = escape(fragments[0]).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
                highlights[int(hit.meta.id)] = mark_safe(text)
        return SearchResult(
            product_ids=[int(hit.meta.id) for hit in response],
            total=response.hits.total.value,
            facets=facets,
            highlights=highlights,
        )

    def build_suggest(self, text, limit=8, on=None) -> Search:
        return (
            self.sellable(on)
            .query(
                "multi_match",
                query=text,
                type="bool_prefix",
                fields=["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
            )
            .sort("_score", "-popularity")
            .source(["title"])[:limit]
        )

    def suggest(self, text, limit=8):
        if not query_terms(text):
            return []
        with self.answering():
            return [hit.title for hit in self.build_suggest(text, limit).using(self.client).execute()]

    def actions(self, product_ids, index):
        rows = entry_rows(product_ids)
        for product_id in product_ids:
            if product_id in rows:
                yield {**ProductDocument.from_row(rows[product_id]).to_dict(include_meta=True), "_index": index}
            else:
                yield {"_op_type": "delete", "_index": index, "_id": product_id}

    def update(self, product_ids):
        from search.tasks import search_send

        product_ids = sorted(set(product_ids))
        if product_ids:
            self.database.update(product_ids)
            # The cluster is outside the database transaction and may be away: a worker sends the change once it is
            # committed, and the save never waits on the cluster.
            transaction.on_commit(partial(search_send.enqueue, product_ids=product_ids), robust=True)

    def send(self, product_ids):
        """Send the products' current state to the index; returns the ids the cluster did not take."""
        failed = []
        try:
            with self.answering():
                for ok, item in streaming_bulk(
                    self.client, self.actions(product_ids, self.alias), raise_on_error=False, raise_on_exception=False
                ):
                    if not ok:
                        failed.append(next(iter(item.values()), {}).get("_id"))
        except SearchUnavailable:
            # The cluster could not be reached (or failed moments ago): none of them is known to have arrived.
            return list(product_ids)
        return [int(pk) for pk in failed if pk is not None]

    def has_smartcn(self, client):
        plugins = client.cat.plugins(format="json")
        return any(plugin.get("component") == SMARTCN_PLUGIN for plugin in plugins)

    def rebuild(self, batch_size=500):
        """Build a new index beside the live one, then move the alias to it and drop the old one."""
        Product = get_model("catalogue", "Product")
        # A rebuild is an operator's command, not a page: it may wait and retry.
        client = self.client.options(request_timeout=60, max_retries=3)
        self.database.rebuild(batch_size=batch_size)
        new_index = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        client.indices.create(index=new_index, **ProductDocument.index_body(smartcn=self.has_smartcn(client)))
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            for _ok, _item in streaming_bulk(client, self.actions(batch, new_index), chunk_size=batch_size):
                pass
        client.indices.refresh(index=new_index)
        old = (
            list(client.indices.get_alias(name=self.alias, ignore_unavailable=True))
            if self.alias_exists(client)
            else []
        )
        client.indices.update_aliases(
            actions=[{"remove": {"index": index, "alias": self.alias}} for index in old]
            + [{"add": {"index": new_index, "alias": self.alias}}]
        )
        for index in old:
            client.indices.delete(index=index)
        return self.sellable().extra(size=0).using(client).count()

    def alias_exists(self, client):
        return bool(client.indices.exists_alias(name=self.alias))
