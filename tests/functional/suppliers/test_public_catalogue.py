import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from suppliers.models import CatalogueBatch, CertificationStatus
from tests.factories import (
    CategoryFactory,
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    StockRecordFactory,
    certified_product,
    region,
)

pytestmark = pytest.mark.django_db

CATALOGUE = "/shop/suppliers/catalogue/"


@pytest.fixture
def two_counties():
    region("430822000000", "桑植县")
    region("433125000000", "保靖县")
    sangzhi = CertifiedPartnerFactory(name="白茶合作社", region=region("430822101201", "合群村"))
    baojing = CertifiedPartnerFactory(name="黄金茶公司", region=region("433125101201", "黄金村"))
    tea = CategoryFactory(name="茶叶")
    fruit = CategoryFactory(name="水果")
    white = certified_product(partner=sangzhi, title="桑植白茶", categories=[tea])
    gold = certified_product(partner=baojing, title="保靖黄金茶", categories=[tea])
    kiwi = certified_product(partner=baojing, title="湘西猕猴桃", categories=[fruit])
    return {"sangzhi": sangzhi, "baojing": baojing, "tea": tea, "fruit": fruit, "products": (white, gold, kiwi)}


def rows(response):
    return [row for row in response.content.decode().split('data-certificate="')[1:]]


def titles(response):
    html = response.content.decode()
    return sorted(t for t in ("桑植白茶", "保靖黄金茶", "湘西猕猴桃") if f">{t}</a>" in html)


def test_lists_certified_products_with_number_supplier_county_and_validity(client, two_counties):
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert titles(response) == ["保靖黄金茶", "桑植白茶", "湘西猕猴桃"]
    certification = two_counties["products"][0].certifications.get()
    assert certification.certificate_number in html
    assert "白茶合作社" in html and "桑植县" in html and "茶叶" in html
    assert certification.valid_until.strftime("%Y-%m-%d") in html


def test_filters_by_county_and_category(client, two_counties):
    assert titles(client.get(CATALOGUE, {"county": "433125000000"})) == ["保靖黄金茶", "湘西猕猴桃"]
    tea = two_counties["tea"]
    assert titles(client.get(CATALOGUE, {"category": tea.pk})) == ["保靖黄金茶", "桑植白茶"]
    assert titles(client.get(CATALOGUE, {"county": "433125000000", "category": tea.pk})) == ["保靖黄金茶"]


def test_filters_by_batch(client, two_counties):
    white = two_counties["products"][0]
    batch = CatalogueBatch.objects.create(
        county=region("430822000000"),
        year=2026,
        number=3,
        notice_starts_on=timezone.localdate() - timedelta(days=20),
        notice_ends_on=timezone.localdate() - timedelta(days=13),
        published_on=timezone.localdate() - timedelta(days=12),
    )
    white.certifications.update(batch=batch)
    response = client.get(CATALOGUE, {"batch": batch.pk})
    assert titles(response) == ["桑植白茶"]
    assert "第3批" in response.content.decode() or "Batch 3" in response.content.decode()


def test_an_unknown_filter_value_says_so_and_lists_nothing(client, two_counties):
    response = client.get(CATALOGUE, {"county": "999999000000"})
    assert response.status_code == 200
    assert titles(response) == []
    assert "选择一个有效的选项" in response.content.decode()


def test_expired_revoked_pending_and_lapsed_supplier_products_are_not_listed(client, two_counties):
    white, gold, kiwi = two_counties["products"]
    white.certifications.update(status=CertificationStatus.REVOKED)
    gold.certifications.update(valid_until=timezone.localdate() - timedelta(days=1))
    pending = ProductFactory(title="待审产品")
    StockRecordFactory(product=pending, partner=two_counties["sangzhi"])
    ProductCertificationFactory(
        product=pending, partner=two_counties["sangzhi"], status=CertificationStatus.PENDING, certificate_number=None
    )
    assert titles(client.get(CATALOGUE)) == ["湘西猕猴桃"]
    two_counties["baojing"].certifications.update(status=CertificationStatus.EXPIRED)
    assert titles(client.get(CATALOGUE)) == []


def test_excel_export_of_the_current_filter_opens_with_the_rows(client, two_counties):
    response = client.get(CATALOGUE, {"county": "433125000000", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "认定证书编号"
    assert sorted(row[1] for row in values[1:]) == ["保靖黄金茶", "湘西猕猴桃"]
    assert {row[4] for row in values[1:]} == {"保靖县"}


def test_csv_export_has_a_bom_for_excel_and_every_row(client, two_counties):
    response = client.get(CATALOGUE, {"format": "csv"})
    assert response.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][1] == "商品"
    assert sorted(row[1] for row in table[1:]) == ["保靖黄金茶", "桑植白茶", "湘西猕猴桃"]


@pytest.mark.parametrize("count", [10, 500])
def test_catalogue_query_count_does_not_grow_with_products(client, django_assert_max_num_queries, count):
    partner = CertifiedPartnerFactory()
    category = CategoryFactory(name="茶叶")
    products = ProductFactory.create_batch(count, categories=[category])
    for product in products:
        ProductCertificationFactory(product=product, partner=partner)
    with django_assert_max_num_queries(10):
        response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert len(rows(response)) == min(count, 50)


def test_public_notice_lists_products_under_notice_with_the_end_date(client):
    partner = CertifiedPartnerFactory()
    batch = CatalogueBatch.objects.create(
        county=region("430822000000", "桑植县"),
        year=2026,
        number=5,
        notice_starts_on=timezone.localdate(),
        notice_ends_on=timezone.localdate() + timedelta(days=7),
    )
    product = ProductFactory(title="公示中的腊肉")
    ProductCertificationFactory(product=product, partner=partner, status=CertificationStatus.NOTICE, batch=batch)
    html = client.get("/shop/suppliers/notice/").content.decode()
    assert "公示中的腊肉" in html
    assert batch.notice_ends_on.strftime("%Y-%m-%d") in html
    assert "公示中的腊肉" not in client.get(CATALOGUE).content.decode()


def test_supplier_page_shows_who_where_how_they_help_and_certified_products(client, two_counties):
    supplier = two_counties["sangzhi"]
    supplier.link_type = supplier.LINK_PURCHASE
    supplier.households_linked = 126
    supplier.people_linked = 420
    supplier.description = "收购合群村贫困户鲜叶，加工白茶。"
    supplier.save()
    html = client.get(f"/shop/suppliers/{supplier.pk}/").content.decode()
    assert "白茶合作社" in html
    assert "合群村" in html and "桑植县" in html
    assert "收购贫困户农产品" in html or "Buys produce" in html
    assert "126" in html and "420" in html
    assert ">桑植白茶</a>" in html and "保靖黄金茶" not in html
    assert 'id="supplier-certified"' in html


def test_supplier_list_counts_certified_products(client, two_counties):
    html = client.get("/shop/suppliers/").content.decode()
    assert "白茶合作社" in html and "黄金茶公司" in html
