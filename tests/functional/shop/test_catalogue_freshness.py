"""Catalogue listings: every change a visitor would notice shows at once, and nothing of one visitor reaches another."""

import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from suppliers import services
from tests.factories import UserFactory, certified_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
CATALOGUE = "/shop/catalogue/"


def html(client, url=CATALOGUE, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_price_change_shows_at_once(client):
    product = certified_product(title="桑植白茶", price="120.00")
    assert "¥120.00" in html(client)
    stockrecord = product.stockrecords.get()
    stockrecord.price = "99.00"
    stockrecord.save()
    body = html(client)
    assert "¥99.00" in body and "¥120.00" not in body


def test_running_out_of_stock_shows_at_once(client):
    product = certified_product(title="桑植白茶", stock=5)
    assert 'action="/shop/basket/add/' in html(client)
    stockrecord = product.stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()
    assert f'action="/shop/basket/add/{product.pk}/' not in html(client)


def test_a_revoked_product_leaves_the_catalogue_and_search_at_once(client):
    product = certified_product(title="保靖黄金茶")
    assert "保靖黄金茶" in html(client)
    assert "保靖黄金茶" in html(client, "/shop/search/", q="黄金茶")
    certification = product.certifications.get()
    reviewer = UserFactory(role="county", region=certification.certifying_office)
    services.certification_revoke(certification=certification, reviewer=reviewer, reason="抽检不合格")
    assert "保靖黄金茶" not in html(client)
    assert "保靖黄金茶" not in html(client, "/shop/search/", q="黄金茶")


def test_each_visitor_gets_their_own_working_token_in_the_product_cards():
    product = certified_product(title="湘西猕猴桃")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        body = html(client)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1))
    assert tokens[0] != tokens[1]
    response = second.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert Basket.objects.filter(lines__product=product).exists()


def language_form(body):
    form = re.search(r'<form id="language_selector".*?</form>', body, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    return re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1), token


def test_the_account_bar_sends_each_visitor_back_to_their_own_page_with_their_own_token():
    product = certified_product(title="湘西猕猴桃")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_next, first_token = language_form(html(first, CATALOGUE))
    second_next, second_token = language_form(html(second, product.get_absolute_url()))
    assert (first_next, second_next) == (CATALOGUE, product.get_absolute_url())
    assert first_token != second_token

    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": second_next, "csrfmiddlewaretoken": second_token}
    )
    assert response.status_code == 302 and response.url == product.get_absolute_url()
    assert 'lang="en"' in html(second, product.get_absolute_url())
    assert 'lang="zh-hans"' in html(first, CATALOGUE)


def test_a_signed_in_buyer_gets_their_own_account_bar_not_an_anonymous_one(client):
    html(Client(), CATALOGUE)
    client.force_login(UserFactory())
    body = html(client, CATALOGUE)
    assert 'id="logout_link"' in body and 'id="login_link"' not in body
    assert 'id="login_link"' in html(Client(), CATALOGUE)


def test_a_new_picture_shows_on_the_product_card_and_page_at_once(client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    thumbnail = re.compile(r'<img src="(/media/cache/[^"]+)"')
    product = certified_product(title="桑植白茶")
    before = set(thumbnail.findall(html(client))) | set(thumbnail.findall(html(client, product.get_absolute_url())))
    product.images.all().delete()
    jpeg = io.BytesIO()
    Image.new("RGB", (160, 90), (40, 120, 60)).save(jpeg, "JPEG")
    get_model("catalogue", "ProductImage").objects.create(
        product=product, original=SimpleUploadedFile("new-tea-picture.jpg", jpeg.getvalue()), display_order=0
    )
    card, page = thumbnail.findall(html(client)), thumbnail.findall(html(client, product.get_absolute_url()))
    assert card and page
    assert not (set(card) | set(page)) & before


def test_a_changed_product_renders_again_only_the_grids_it_is_in(client):
    """Listings are cached per product shown (search.listing): a price change re-renders its own category's grid at once,
    while another category's grid is served from the cache without reading a product row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import Category

    tea, fruit = Category.add_root(name="茶叶"), Category.add_root(name="水果")
    green_tea = certified_product(title="古丈毛尖", price="88.00", categories=[tea])
    certified_product(title="湘西猕猴桃", price="36.00", categories=[fruit])
    assert "¥88.00" in html(client, tea.get_absolute_url())
    assert "¥36.00" in html(client, fruit.get_absolute_url())

    stockrecord = green_tea.stockrecords.get()
    stockrecord.price = "79.00"
    stockrecord.save()

    with CaptureQueriesContext(connection) as captured:
        body = html(client, fruit.get_absolute_url())
    assert "¥36.00" in body
    assert not [q for q in captured if 'FROM "catalogue_product"' in q["sql"] and "catalogue_category" not in q["sql"]]
    body = html(client, tea.get_absolute_url())
    assert "¥79.00" in body and "¥88.00" not in body


def test_cached_cards_carry_no_visitor_token_and_post_through_the_visitors_own_form():
    product = certified_product(title="湘西猕猴桃")
    body = html(Client())
    cards = re.search(r'<ol class="row list-unstyled ml-0 pl-0" id="product_list">.*?</ol>', body, re.S).group(0)
    assert "csrfmiddlewaretoken" not in cards
    assert f'form="card-basket-form" formaction="/shop/basket/add/{product.pk}/"' in cards
    form = re.search(r'<form id="card-basket-form".*?</form>', body, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form and 'name="quantity" value="1"' in form
