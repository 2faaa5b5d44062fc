"""The Elasticsearch index of sellable products (elasticsearch-dsl)."""

from django.conf import settings
from elasticsearch_dsl import Boolean, Date, Document, Integer, Keyword, ScaledFloat, SearchAsYouType, Text, analyzer

# Chinese text is analysed by smartcn, which splits it into words, when the cluster has the plugin (the docker
# image installs it); otherwise by the built-in CJK bigrams, which need no plugin. Both are registered under the
# name "chinese", so the mapping is the same and the choice is made when an index is created. The index also holds
# the pinyin forms from search.text so that Latin-keyboard queries match.
chinese = analyzer("chinese", tokenizer="smartcn_tokenizer", filter=["lowercase"])
chinese_bigrams = analyzer("chinese", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
latin = analyzer("latin", tokenizer="standard", filter=["lowercase"])
SMARTCN_PLUGIN = "analysis-smartcn"


class ProductDocument(Document):
    title = Text(analyzer=chinese, fields={"raw": Keyword(), "suggest": SearchAsYouType()})
    text = Text(analyzer=chinese, fields={"latin": Text(analyzer=latin)})
    category_ids = Keyword(multi=True)
    category = Keyword()
    category_name = Keyword()
    partner = Keyword()
    partner_name = Keyword()
    supplier_type = Keyword()
    quality_marks = Keyword(multi=True)
    popularity = Integer()
    region_code = Keyword()
    county_code = Keyword()
    county_name = Keyword()
    price = ScaledFloat(scaling_factor=100)
    in_stock = Boolean()
    sellable_from = Date()
    sellable_until = Date()
    date_created = Date()

    class Index:
        name = "products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def index_name(cls):
        """The alias that searches use; it points at one concrete index at a time."""
        return f"{settings.ELASTICSEARCH_INDEX_PREFIX}products"

    @classmethod
    def index_body(cls, smartcn=True):
        analysis = {}
        for definition in ((chinese if smartcn else chinese_bigrams), latin):
            for kind, entries in definition.get_analysis_definition().items():
                analysis.setdefault(kind, {}).update(entries)
        return {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": analysis},
            "mappings": cls._doc_type.mapping.to_dict(),
        }

    @classmethod
    def from_row(cls, row):
        return cls(
            meta={"id": row["product_id"]},
            title=row["title"],
            text=row["text"],
            category_ids=[pk for pk in row["category_ids"].strip("|").split("|") if pk],
            category=row["category_id"],
            category_name=row["category_name"],
            partner=row["partner_id"],
            partner_name=row["partner_name"],
            supplier_type=row["supplier_type"],
            quality_marks=[mark for mark in row["quality_marks"].strip("|").split("|") if mark],
            popularity=row["popularity"],
            region_code=row["region_code"],
            county_code=row["county_code"],
            county_name=row["county_name"],
            price=float(row["price"]) if row["price"] is not None else None,
            in_stock=row["in_stock"],
            sellable_from=row["sellable_from"],
            sellable_until=row["sellable_until"],
            date_created=row["date_created"],
        )
