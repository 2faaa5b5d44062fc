import re

import pytest
from django.urls import reverse

from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_certified_products_with_yuan_prices(client):
    certified_product(title="桑植白茶 明前特级", price="168.00")
    response = client.get("/shop/catalogue/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "桑植白茶 明前特级" in body
    assert "¥168.00" in body


def test_the_shop_root_leads_to_the_catalogue(client):
    response = client.get("/shop/")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("/shop/catalogue/")


def test_a_product_page_shows_price_and_add_to_basket_in_chinese(client):
    product = certified_product(title="保靖黄金茶 特级", price="238.00")
    response = client.get(product.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "¥238.00" in body
    assert re.search("(加入|添加至)购物车", body)


def test_adding_to_the_basket_shows_the_total_in_yuan(client):
    product = certified_product(price="59.00")
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2}, follow=True)
    assert response.status_code == 200
    basket = client.get(reverse("basket:summary")).content.decode()
    assert "¥118.00" in basket


def test_product_slugs_are_readable_pinyin(client):
    product = certified_product(title="湘西猕猴桃")
    assert product.slug == "xiang-xi-mi-hou-tao"
    assert client.get(product.get_absolute_url()).status_code == 200


def test_pages_load_their_scripts_from_the_site_itself(client):
    # Google's CDN (Oscar's default for jQuery) cannot be reached from mainland China.
    for url in ["/shop/catalogue/", "/shop/basket/"]:
        body = client.get(url).content.decode()
        assert '<script src="/static/oscar/js/jquery/jquery.min.js"></script>' in body
        assert "googleapis" not in body
        assert "oscar.init();" in body
    assert "oscar.basket.init(options);" in client.get("/shop/basket/").content.decode()
