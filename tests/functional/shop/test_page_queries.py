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


def test_a_basket_with_three_lines_stays_within_the_bound_whatever_the_catalogue_size(client):
    for product in add_products(20)[:3]:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    at_20 = queries_for(client, reverse("basket:summary"))
    add_products(80)
    at_100 = queries_for(client, reverse("basket:summary"))
    assert at_20 <= PAGE_QUERY_LIMIT
    assert at_20 == at_100


def test_the_home_page_stays_within_the_bound(client):
    cms_demo.load()
    assert queries_for(client, "/") <= PAGE_QUERY_LIMIT


def test_the_category_menu_shows_a_renamed_category_at_once(client):
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


def test_the_mini_basket_reads_the_pictures_of_all_its_lines_at_once(client):
    import io
    import re

    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from oscar.core.loading import get_model
    from PIL import Image

    ProductImage = get_model("catalogue", "ProductImage")
    products = add_products(5)
    # Unindexed like the products (a picture reindexes its product): the catalogue lists none, the dropdown all.
    with paused():
        for product in products:
            jpeg = io.BytesIO()
            Image.new("RGB", (120, 120), (40, 120, 60)).save(jpeg, "JPEG")
            ProductImage.objects.create(
                product=product, original=SimpleUploadedFile(f"tea-{product.pk}.jpg", jpeg.getvalue()), display_order=0
            )
    image_queries = {}
    for lines in (1, 5):
        for product in products[len(image_queries) : lines]:
            client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        client.get(reverse("basket:summary"))  # the "added" messages are shown once
        cache.clear()  # nothing kept: every thumbnail looked up afresh
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/shop/catalogue/").content.decode()
        image_queries[lines] = [q["sql"] for q in captured if 'FROM "catalogue_productimage"' in q["sql"]]
        # The dropdown shows each line's own picture, as a thumbnail.
        pictures = re.findall(r'image_container w-100">\s*<a href="[^"]+">\s*<img src="/media/cache/', body)
        assert len(pictures) == lines
    assert len(image_queries[1]) == len(image_queries[5]) == 1
