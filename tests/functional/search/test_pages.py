import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import get_backend
from search.indexing import paused
from tests.factories import Category, CertifiedPartnerFactory, ProductCategory, certified_product

pytestmark = pytest.mark.django_db

PAGE_QUERY_LIMIT = 15


def stock_catalogue(count, category):
    partners = [CertifiedPartnerFactory() for _ in range(3)]
    with paused():
        for i in range(count):
            product = certified_product(partner=partners[i % 3], title=f"湘西猕猴桃{i:03d}", price=f"{20 + i}.00")
            ProductCategory.objects.create(product=product, category=category)
    get_backend().rebuild()


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types, site, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["catalogue", "category", "search"])
def test_listing_pages_issue_the_same_bounded_number_of_queries_at_20_and_100_products(client, page):
    fruit = Category.add_root(name="水果")
    urls = {
        "catalogue": "/shop/catalogue/",
        "category": fruit.get_absolute_url(),
        "search": "/shop/search/?q=猕猴桃",
    }
    stock_catalogue(20, fruit)
    at_20 = queries_for(client, urls[page])
    stock_catalogue(80, fruit)
    at_100 = queries_for(client, urls[page])
    assert at_20 <= PAGE_QUERY_LIMIT
    assert at_20 == at_100


def test_a_chinese_search_lists_matching_products_with_prices_and_facets(client):
    tea = Category.add_root(name="茶叶")
    product = certified_product(title="保靖黄金茶 明前", price="238.00")
    ProductCategory.objects.create(product=product, category=tea)
    certified_product(title="湘西腊肉", price="98.00")

    body = client.get("/shop/search/", {"q": "黄金茶"}).content.decode()
    assert "保靖黄金茶 明前" in body
    assert "湘西腊肉" not in body
    assert "¥238.00" in body
    assert "茶叶" in body  # the category facet
    assert "“黄金茶”" in body


def test_a_search_that_finds_nothing_says_so_in_chinese(client):
    body = client.get("/shop/search/", {"q": "不存在的商品"}).content.decode()
    assert "没有与“不存在的商品”相符的认定产品" in body


def test_choosing_a_facet_narrows_the_results(client):
    tea = Category.add_root(name="茶叶")
    meat = Category.add_root(name="腊味")
    for title, category in (("湘西黄金茶", tea), ("湘西腊肉", meat)):
        ProductCategory.objects.create(product=certified_product(title=title), category=category)

    body = client.get("/shop/search/", {"q": "湘西", "category": meat.pk}).content.decode()
    assert "湘西腊肉" in body
    assert "湘西黄金茶" not in body


def test_a_page_number_past_the_end_returns_to_the_first_page_with_a_message(client):
    certified_product(title="桑植白茶")
    response = client.get("/shop/catalogue/", {"page": 9}, follow=True)
    assert response.redirect_chain[-1][0] == "/shop/catalogue/"
    assert "页码无效" in response.content.decode() or "page number was invalid" in response.content.decode()


def test_a_category_page_reached_by_an_old_slug_redirects_to_the_current_one(client):
    fruit = Category.add_root(name="水果")
    response = client.get(f"/shop/catalogue/category/old-name_{fruit.pk}/")
    assert response.status_code == 301
    assert response["Location"] == fruit.get_absolute_url()


def test_suggestions_are_offered_as_json_while_typing(client):
    certified_product(title="桑植白茶")
    response = client.get("/shop/search/suggest/", {"q": "sangzhi"})
    assert response.status_code == 200
    assert response.json() == {"query": "sangzhi", "suggestions": ["桑植白茶"]}


def test_matched_words_are_marked_in_the_result_titles(client):
    certified_product(title="保靖黄金茶")
    body = client.get("/shop/search/", {"q": "黄金茶"}).content.decode()
    assert "保靖<mark>黄金茶</mark>" in body
