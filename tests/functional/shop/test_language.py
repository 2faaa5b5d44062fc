import pytest

from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def test_a_visitor_can_switch_the_shop_to_english_and_back(client):
    product = certified_product(title="张家界莓茶")
    assert "加入购物车" in client.get(product.get_absolute_url()).content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/shop/"})
    assert "Add to cart" in client.get(product.get_absolute_url()).content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/shop/"})
    assert "加入购物车" in client.get(product.get_absolute_url()).content.decode()
