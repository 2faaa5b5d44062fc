import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import demo as cms_demo
from search.indexing import paused
from tests.factories import Category, CertifiedPartnerFactory, certified_product

pytestmark = pytest.mark.django_db

PAGE_QUERY_LIMIT = 15


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types, site root, translations, the category menu)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_products(count):
    partner = CertifiedPartnerFactory()
    with paused():
        return [certified_product(partner=partner, title=f"桑植白茶{i}") for i in range(count)]


def test_the_product_page_query_count_is_bounded_and_independent_of_catalogue_size(client):
    product = add_products(20)[0]
    at_20 = queries_for(client, product.get_absolute_url())
    add_products(80)
    at_100 = queries_for(client, product.get_absolute_url())
    assert at_20 <= PAGE_QUERY_LIMIT
    assert at_20 == at_100


def test_a_basket_with_three_lines_stays_within_the_bound(client):
    for product in add_products(3):
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert queries_for(client, reverse("basket:summary")) <= PAGE_QUERY_LIMIT


def test_the_home_page_stays_within_the_bound(client):
    cms_demo.load()
    assert queries_for(client, "/") <= PAGE_QUERY_LIMIT


def test_the_cached_category_menu_shows_a_renamed_category_at_once(client):
    category = Category.add_root(name="茶叶饮品")
    assert "茶叶饮品" in client.get("/shop/catalogue/").content.decode()
    category.name = "名优茶叶"
    category.save()
    body = client.get("/shop/catalogue/").content.decode()
    assert "名优茶叶" in body
    assert "茶叶饮品" not in body


def test_a_price_change_shows_on_the_product_page_and_in_the_catalogue_at_once(client):
    product = certified_product(title="保靖黄金茶", price="120.00")
    client.get(product.get_absolute_url())
    client.get("/shop/catalogue/")
    stockrecord = product.stockrecords.get()
    stockrecord.price = "99.00"
    stockrecord.save()
    assert "¥99.00" in client.get(product.get_absolute_url()).content.decode()
    assert "¥99.00" in client.get("/shop/catalogue/").content.decode()
