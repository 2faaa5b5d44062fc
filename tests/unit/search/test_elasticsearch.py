import os
from datetime import date
from types import SimpleNamespace

import pytest

from search.backends.base import SORT_PRICE_DESC, SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import ProductDocument


class RecordingClient:
    """Stands in for the Elasticsearch client: records the request body and answers with a canned response."""

    def __init__(self, response):
        self.response, self.requests = response, []

    def search(self, index=None, body=None, **params):
        self.requests.append({"index": index, "body": body})
        return SimpleNamespace(body=self.response)


def body(query, on=date(2026, 11, 23)):
    return ElasticsearchBackend(client=object()).build_search(query, on=on).to_dict()


def test_only_products_certified_today_are_searched():
    filters = body(SearchQuery())["query"]["bool"]["filter"]
    assert {"range": {"sellable_from": {"lte": date(2026, 11, 23)}}} in filters
    assert {"range": {"sellable_until": {"gte": date(2026, 11, 23)}}} in filters


def test_each_word_must_match_the_title_or_text_in_chinese_or_pinyin():
    must = body(SearchQuery(text="湘西 猕猴桃"))["query"]["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in must] == ["湘西", "猕猴桃"]
    assert must[0]["multi_match"]["fields"] == ["title^3", "text", "text.latin"]


def test_filters_sorting_paging_and_facets_are_in_the_request():
    request = body(
        SearchQuery(
            category_ids=(7,),
            partner_id=3,
            region_code="433100000000",
            price_range=1,
            sort=SORT_PRICE_DESC,
            page=2,
            per_page=24,
        )
    )
    filters = request["query"]["bool"]["filter"]
    assert {"term": {"category_ids": "7"}} in filters
    assert {"term": {"partner": "3"}} in filters
    assert {"prefix": {"region_code": "4331"}} in filters
    assert {"range": {"price": {"gte": 50.0, "lt": 100.0}}} in filters
    assert request["sort"] == [{"price": {"order": "desc"}}, {"date_created": {"order": "desc"}}]
    assert (request["from"], request["size"]) == (24, 24)
    assert set(request["aggs"]) == {"category", "partner", "county", "supplier_type", "quality", "price"}


def test_best_selling_sort_and_quality_and_supplier_type_filters():
    request = body(SearchQuery(sort="best-selling", quality="organic", supplier_type="cooperative"))
    assert request["sort"][0] == {"popularity": {"order": "desc"}}
    assert {"term": {"quality_marks": "organic"}} in request["query"]["bool"]["filter"]
    assert {"term": {"supplier_type": "cooperative"}} in request["query"]["bool"]["filter"]


def test_a_text_search_asks_for_the_title_highlighted_with_mark_tags():
    highlight = body(SearchQuery(text="白茶"))["highlight"]
    assert highlight["fields"]["title"] == {"number_of_fragments": 0, "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}


def test_suggestions_use_the_search_as_you_type_field_of_sellable_products():
    request = ElasticsearchBackend(client=object()).build_suggest("sangz", on=date(2026, 11, 23)).to_dict()
    match = request["query"]["bool"]["must"][0]["multi_match"]
    assert match["type"] == "bool_prefix"
    assert match["fields"][0] == "title.suggest"
    assert {"range": {"sellable_until": {"gte": date(2026, 11, 23)}}} in request["query"]["bool"]["filter"]


def test_the_mapping_analyses_chinese_with_smartcn():
    index = ProductDocument._index.to_dict()
    assert index["mappings"]["properties"]["title"]["analyzer"] == "chinese"
    assert index["mappings"]["properties"]["text"]["fields"]["latin"]["analyzer"] == "latin"
    assert index["settings"]["analysis"]["analyzer"]["chinese"]["tokenizer"] == "smartcn_tokenizer"


def test_a_response_becomes_product_ids_total_and_facets():
    response = {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "hits": [
                {"_id": "12", "_index": "p", "highlight": {"title": ["<b>桑植</b><mark>白茶</mark>"]}},
                {"_id": "5", "_index": "p"},
            ],
        },
        "aggregations": {
            "category": {"buckets": [{"key": "茶叶", "doc_count": 2, "id": {"buckets": [{"key": 4, "doc_count": 2}]}}]},
            "partner": {"buckets": []},
            "supplier_type": {"buckets": [{"key": "cooperative", "doc_count": 2}]},
            "quality": {"buckets": [{"key": "organic", "doc_count": 1}]},
            "county": {
                "buckets": [
                    {"key": "桑植县", "doc_count": 2, "id": {"buckets": [{"key": "430822000000", "doc_count": 2}]}}
                ]
            },
            "price": {"buckets": [{"key": "0", "from": 0, "to": 50, "doc_count": 2}, {"key": "1", "doc_count": 0}]},
        },
    }
    client = RecordingClient(response)
    result = ElasticsearchBackend(client=client).search(SearchQuery(text="茶"))
    assert result.product_ids == [12, 5]
    assert result.total == 2
    assert [(f.value, f.label, f.count) for f in result.facets["category"]] == [("4", "茶叶", 2)]
    assert [(f.value, f.count) for f in result.facets["price"]] == [("0", 2)]
    assert [(f.value, f.label) for f in result.facets["supplier_type"]] == [("cooperative", "农民专业合作社")]
    assert result.highlights == {12: "&lt;b&gt;桑植&lt;/b&gt;<mark>白茶</mark>"}
    assert client.requests[0]["index"] == ["xfbsc-products"]


@pytest.mark.elasticsearch
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs a running Elasticsearch (ELASTICSEARCH_URL)")
@pytest.mark.django_db
def test_a_real_cluster_indexes_and_finds_a_certified_product(settings):
    from tests.factories import certified_product

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = "xfbsc-test-"
    product = certified_product(title="湘西红心猕猴桃")
    backend = ElasticsearchBackend()
    assert backend.rebuild() >= 1
    assert product.pk in backend.search(SearchQuery(text="猕猴桃")).product_ids


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevancy", ["_score", {"date_created": {"order": "desc"}}]),
        ("best-selling", [{"popularity": {"order": "desc"}}, {"date_created": {"order": "desc"}}]),
        ("newest", [{"date_created": {"order": "desc"}}]),
        ("price-asc", ["price", {"date_created": {"order": "desc"}}]),
        ("price-desc", [{"price": {"order": "desc"}}, {"date_created": {"order": "desc"}}]),
        ("title-asc", ["title.raw"]),
    ],
)
def test_every_sort_becomes_the_matching_elasticsearch_sort(sort, expected):
    assert body(SearchQuery(text="茶", sort=sort))["sort"] == expected


@pytest.mark.parametrize(
    ("facet", "field"),
    [
        ("category", "category_name"),
        ("partner", "partner_name"),
        ("county", "county_name"),
        ("supplier_type", "supplier_type"),
        ("quality", "quality_marks"),
    ],
)
def test_every_facet_is_a_terms_aggregation_on_its_field(facet, field):
    assert body(SearchQuery())["aggs"][facet]["terms"]["field"] == field
