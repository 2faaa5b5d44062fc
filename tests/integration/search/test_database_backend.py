from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from search.backends import get_backend
from search.backends.base import SORT_PRICE_ASC, SearchQuery
from search.models import ProductSearchEntry
from suppliers.models import CertificationStatus
from tests.factories import (
    Category,
    CertifiedPartnerFactory,
    ProductCategory,
    ProductFactory,
    StockRecordFactory,
    certified_product,
    region,
)

pytestmark = pytest.mark.django_db


def titles(result):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    names = dict(Product.objects.filter(pk__in=result.product_ids).values_list("pk", "title"))
    return [names[pk] for pk in result.product_ids]


def search(**kwargs):
    return get_backend().search(SearchQuery(**kwargs))


def test_a_chinese_word_finds_products_that_contain_it():
    certified_product(title="湘西红心猕猴桃")
    certified_product(title="古丈毛尖")
    assert titles(search(text="猕猴桃")) == ["湘西红心猕猴桃"]


def test_pinyin_in_full_or_as_initials_finds_the_product():
    certified_product(title="湘西红心猕猴桃")
    assert titles(search(text="mihoutao")) == ["湘西红心猕猴桃"]
    assert titles(search(text="MHT")) == ["湘西红心猕猴桃"]


def test_every_word_of_the_query_must_match():
    certified_product(title="湘西腊肉")
    certified_product(title="湘西猕猴桃")
    assert titles(search(text="湘西 腊肉")) == ["湘西腊肉"]


def test_products_without_a_valid_certification_are_not_found():
    certified_product(title="已认定 黄金茶")
    uncertified = ProductFactory(title="未认定 黄金茶")
    StockRecordFactory(product=uncertified)
    assert titles(search(text="黄金茶")) == ["已认定 黄金茶"]


def test_revoking_a_certification_removes_the_product_at_once():
    product = certified_product(title="桑植白茶")
    certification = product.certifications.get()
    certification.status = CertificationStatus.REVOKED
    certification.save()
    assert search(text="桑植白茶").total == 0


def test_a_supplier_whose_certification_lapsed_takes_its_products_out():
    partner = CertifiedPartnerFactory()
    certified_product(partner=partner, title="慈利杜仲茶")
    supplier_certification = partner.certifications.get()
    supplier_certification.valid_until = timezone.localdate() - timedelta(days=1)
    supplier_certification.save()
    assert search(text="杜仲").total == 0


def test_a_price_change_shows_in_the_index_immediately():
    product = certified_product(title="永顺莓茶", price="30.00")
    stockrecord = product.stockrecords.get()
    stockrecord.price = Decimal("45.50")
    stockrecord.save()
    assert ProductSearchEntry.objects.get(product=product).price == Decimal("45.50")


def test_filters_by_category_including_subcategories_supplier_county_and_price():
    tea = Category.add_root(name="茶叶")
    white_tea = tea.add_child(name="白茶")
    partner = CertifiedPartnerFactory()
    in_sub = certified_product(partner=partner, title="白茶一号", price="60.00")
    ProductCategory.objects.create(product=in_sub, category=white_tea)
    other = certified_product(title="腊肉", price="120.00", origin=region("433100000000", "湘西州"))

    assert titles(search(category_ids=(tea.pk,))) == ["白茶一号"]
    assert titles(search(partner_id=partner.pk)) == ["白茶一号"]
    assert titles(search(region_code="433100")) == [other.title]
    assert titles(search(price_range=1)) == ["白茶一号"]


def test_facets_count_the_matching_products():
    tea = Category.add_root(name="茶叶")
    for price in ("20.00", "30.00", "150.00"):
        product = certified_product(title=f"茶{price}", price=price)
        ProductCategory.objects.create(product=product, category=tea)
    result = search(text="茶")
    assert [(f.label, f.count) for f in result.facets["category"]] == [("茶叶", 3)]
    assert [(f.value, f.count) for f in result.facets["price"]] == [("0", 2), ("2", 1)]


def test_results_are_paginated_and_sorted_by_price():
    for price in ("30.00", "10.00", "20.00"):
        certified_product(title=f"山货{price}", price=price)
    first = search(text="山货", sort=SORT_PRICE_ASC, per_page=2, page=1)
    second = search(text="山货", sort=SORT_PRICE_ASC, per_page=2, page=2)
    assert first.total == 3
    assert titles(first) + titles(second) == ["山货10.00", "山货20.00", "山货30.00"]


def test_rebuilding_the_index_restores_every_searchable_product():
    certified_product(title="桑植白茶")
    ProductSearchEntry.objects.all().delete()
    assert get_backend().rebuild() == 1
    assert titles(search(text="白茶")) == ["桑植白茶"]


def test_best_selling_sort_puts_the_most_bought_product_first():
    from oscar.core.loading import get_model

    ProductRecord = get_model("analytics", "ProductRecord")
    certified_product(title="山茶油 小瓶")
    popular = certified_product(title="山茶油 大桶")
    ProductRecord.objects.create(product=popular, num_purchases=40)
    get_backend().update([popular.pk])
    assert titles(search(text="山茶油", sort="best-selling"))[0] == "山茶油 大桶"


def test_supplier_type_and_quality_marks_are_facets_and_filters():
    cooperative = CertifiedPartnerFactory(supplier_type="cooperative")
    certified_product(partner=cooperative, title="合作社 有机米", is_organic=True)
    certified_product(title="企业 香米")
    result = search(text="米")
    assert [(f.value, f.count) for f in result.facets["supplier_type"]] == [("enterprise", 1), ("cooperative", 1)]
    assert [(f.value, f.count) for f in result.facets["quality"]] == [("organic", 1)]
    assert titles(search(text="米", quality="organic")) == ["合作社 有机米"]
    assert titles(search(text="米", supplier_type="cooperative")) == ["合作社 有机米"]


def test_matched_words_are_highlighted_and_the_title_is_escaped():
    product = certified_product(title="<b>湘西</b>猕猴桃")
    result = search(text="猕猴桃")
    assert result.highlights[product.pk] == "&lt;b&gt;湘西&lt;/b&gt;<mark>猕猴桃</mark>"


def test_suggestions_complete_chinese_and_pinyin_prefixes():
    certified_product(title="桑植白茶")
    certified_product(title="保靖黄金茶")
    ProductFactory(title="桑植未认定茶")
    assert get_backend().suggest("桑植") == ["桑植白茶"]
    assert get_backend().suggest("baicha") == ["桑植白茶"]
    assert get_backend().suggest("") == []
