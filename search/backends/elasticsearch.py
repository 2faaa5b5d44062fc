from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk
from elasticsearch_dsl import A, Q, Search
from oscar.core.loading import get_model

from search.documents import ProductDocument
from search.indexing import entry_rows
from search.text import query_terms

from .base import (
    PRICE_RANGES,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_TITLE,
    Facet,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from .database import FACET_SIZE, price_range_label

SORT_FIELDS = {
    SORT_NEWEST: ["-date_created"],
    SORT_PRICE_ASC: ["price", "-date_created"],
    SORT_PRICE_DESC: ["-price", "-date_created"],
    SORT_TITLE: ["title.raw"],
}


class ElasticsearchBackend(SearchBackend):
    """Product search on an Elasticsearch cluster (ELASTICSEARCH_URL), with the smartcn analysis plugin."""

    def __init__(self, client=None):
        self.client = client or Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=5)
        self.index = ProductDocument.index_name()

    def build_search(self, query: SearchQuery, on=None) -> Search:
        on = on or timezone.localdate()
        search = (
            Search(index=self.index)
            .filter("range", sellable_from={"lte": on})
            .filter("range", sellable_until={"gte": on})
        )
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
        search.aggs.bucket("category", A("terms", field="category_name", size=FACET_SIZE)).bucket(
            "id", A("terms", field="category", size=1)
        )
        search.aggs.bucket("partner", A("terms", field="partner_name", size=FACET_SIZE)).bucket(
            "id", A("terms", field="partner", size=1)
        )
        search.aggs.bucket("county", A("terms", field="county_name", size=FACET_SIZE)).bucket(
            "id", A("terms", field="county_code", size=1)
        )
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
        response = self.build_search(query).using(self.client).execute()
        facets = {}
        for name in ("category", "partner", "county"):
            facets[name] = [
                Facet(bucket.id.buckets[0].key, bucket.key, bucket.doc_count)
                for bucket in getattr(response.aggregations, name).buckets
                if bucket.id.buckets
            ]
        facets["price"] = [
            Facet(bucket.key, price_range_label(int(bucket.key)), bucket.doc_count)
            for bucket in response.aggregations.price.buckets
            if bucket.doc_count
        ]
        return SearchResult(
            product_ids=[int(hit.meta.id) for hit in response],
            total=response.hits.total.value,
            facets=facets,
        )

    def actions(self, product_ids):
        rows = entry_rows(product_ids)
        for product_id in product_ids:
            if product_id in rows:
                document = ProductDocument.from_row(rows[product_id])
                yield {**document.to_dict(include_meta=True), "_index": self.index}
            else:
                yield {"_op_type": "delete", "_index": self.index, "_id": product_id}

    def update(self, product_ids):
        product_ids = sorted(set(product_ids))
        if product_ids:
            bulk(self.client, self.actions(product_ids), raise_on_error=False)

    def create_index(self):
        ProductDocument._index._name = self.index
        if self.client.indices.exists(index=self.index):
            self.client.indices.delete(index=self.index)
        ProductDocument.init(index=self.index, using=self.client)

    def rebuild(self, batch_size=500):
        Product = get_model("catalogue", "Product")
        self.create_index()
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), batch_size):
            rows = entry_rows(ids[i : i + batch_size])
            documents = (
                {**ProductDocument.from_row(row).to_dict(include_meta=True), "_index": self.index}
                for row in rows.values()
            )
            bulk(self.client, documents)
        self.client.indices.refresh(index=self.index)
        today = timezone.localdate()
        return self.client.count(
            index=self.index,
            query={
                "bool": {
                    "filter": [
                        {"range": {"sellable_from": {"lte": today}}},
                        {"range": {"sellable_until": {"gte": today}}},
                    ]
                }
            },
        )["count"]
