"""The Elasticsearch index of sellable products (elasticsearch-dsl)."""

from django.conf import settings
from elasticsearch_dsl import Boolean, Date, Document, Keyword, ScaledFloat, Text, analyzer

# smartcn splits Chinese into words; the index also holds the pinyin forms from search.text so that
# Latin-keyboard queries match.
chinese = analyzer("chinese", tokenizer="smartcn_tokenizer", filter=["lowercase"])
latin = analyzer("latin", tokenizer="standard", filter=["lowercase"])


class ProductDocument(Document):
    title = Text(analyzer=chinese, fields={"raw": Keyword()})
    text = Text(analyzer=chinese, fields={"latin": Text(analyzer=latin)})
    category_ids = Keyword(multi=True)
    category = Keyword()
    category_name = Keyword()
    partner = Keyword()
    partner_name = Keyword()
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
        return f"{settings.ELASTICSEARCH_INDEX_PREFIX}products"

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
            region_code=row["region_code"],
            county_code=row["county_code"],
            county_name=row["county_name"],
            price=float(row["price"]) if row["price"] is not None else None,
            in_stock=row["in_stock"],
            sellable_from=row["sellable_from"],
            sellable_until=row["sellable_until"],
            date_created=row["date_created"],
        )
