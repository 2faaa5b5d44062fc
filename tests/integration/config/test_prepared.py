"""Prepared querysets: compiled once per connection, yet every call gets its own rows, and chained queries stay right."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from config.prefetch import set_prefetched
from config.prepared import Prepared
from tests.factories import CertifiedPartnerFactory, certified_product

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


class CountingBuild:
    def __init__(self):
        self.calls = 0

    def __call__(self, partner_id):
        self.calls += 1
        return (
            StockRecord.objects.filter(partner_id=partner_id)
            .select_related("product", "partner")
            .annotate(categories=Count("product__categories"))
            .order_by("partner_sku")
        )


def test_each_call_gets_the_rows_for_its_own_values_in_one_query_compiled_once():
    first, second = CertifiedPartnerFactory(name="桑植茶业"), CertifiedPartnerFactory(name="保靖茶园")
    for title in ["白茶", "红茶"]:
        certified_product(partner=first, title=f"桑植{title}")
    certified_product(partner=second, title="保靖黄金茶")
    build = CountingBuild()
    stock_of = Prepared(build, partner_id=-1_000_000_007)

    with CaptureQueriesContext(connection) as queries:
        rows_first = stock_of(partner_id=first.pk)
        titles_first = [row.product.title for row in rows_first]
        rows_second = stock_of(partner_id=second.pk)
        titles_second = [row.product.title for row in rows_second]
        supplier_names = {row.partner.name for row in [*rows_first, *rows_second]}

    assert sorted(titles_first) == ["桑植白茶", "桑植红茶"]
    assert titles_second == ["保靖黄金茶"]
    assert supplier_names == {"桑植茶业", "保靖茶园"}
    assert all(row.categories == 0 for row in [*rows_first, *rows_second])
    # One query per call (objects from select_related included), and the queryset was compiled only the first time.
    assert len(queries) == 2
    assert build.calls == 1


def test_what_is_chained_on_a_result_is_asked_of_the_database_with_the_real_values():
    partner = CertifiedPartnerFactory()
    white = certified_product(partner=partner, title="桑植白茶")
    certified_product(partner=partner, title="桑植红茶")
    other = CertifiedPartnerFactory()
    certified_product(partner=other, title="保靖黄金茶")
    stock_of = Prepared(CountingBuild(), partner_id=-1_000_000_007)

    rows = stock_of(partner_id=partner.pk)
    with CaptureQueriesContext(connection) as queries:
        assert rows.count() == 2 and rows.exists()
    assert len(queries) == 0
    # A filter on the fetched rows is the real query for this supplier, not the stand-in's.
    assert [row.product_id for row in rows.filter(product__title="桑植白茶")] == [white.pk]
    assert rows.filter(product__title="保靖黄金茶").count() == 0
    assert rows.update(num_in_stock=7) == 2
    assert set(StockRecord.objects.values_list("partner_id", "num_in_stock").filter(num_in_stock=7)) == {
        (partner.pk, 7)
    }


def test_instances_already_loaded_are_given_to_the_rows_without_a_query():
    partner = CertifiedPartnerFactory()
    certified_product(partner=partner)
    stock_of = Prepared(lambda partner_id: StockRecord.objects.filter(partner_id=partner_id), partner_id=-1_000_000_007)

    rows = stock_of(partner_id=partner.pk, known={"partner": partner})
    with CaptureQueriesContext(connection) as queries:
        assert rows[0].partner is partner
    assert len(queries) == 0


def test_a_stand_in_missing_from_the_compiled_query_is_refused():
    # The value is transformed before it reaches the SQL, so the stand-in cannot be found and replaced.
    broken = Prepared(lambda title: Product.objects.filter(title__icontains=title), title="-stand-in-")
    with pytest.raises(ImproperlyConfigured):
        broken(title="白茶")


def test_rows_handed_over_as_prefetched_need_no_query_and_a_chained_query_still_reads_the_database():
    product = certified_product(title="桑植白茶")
    ProductImage.objects.create(product=product, original="images/a.jpg", display_order=0)
    ProductImage.objects.create(product=product, original="images/b.jpg", display_order=1)
    product = Product.objects.get(pk=product.pk)

    set_prefetched(product, "images", [])
    with CaptureQueriesContext(connection) as queries:
        assert list(product.images.all()) == []
    assert len(queries) == 0
    assert [image.display_order for image in product.images.all().order_by("display_order")] == [0, 1]
    assert product.images.all().filter(display_order=1).count() == 1
