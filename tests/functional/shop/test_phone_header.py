"""One menu in the header: the account bar shows on a large screen only, and its links are in the header's menu."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, certified_product

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def buyer_client():
    client = Client()
    client.force_login(UserFactory(email="header-buyer@example.cn"))
    return client


def menu(html):
    start = html.index('id="navbarSupportedContent"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("url", ["/shop/catalogue/", "/shop/accounts/orders/", "/shop/basket/"])
def test_a_shop_page_has_one_menu_button_and_the_account_bar_only_on_a_large_screen(buyer_client, url):
    certified_product()
    html = page(buyer_client, url)
    assert html.count('class="navbar-toggler"') == 1
    account_bar = re.search(r'<nav id="top_page" class="([^"]+)"', html).group(1).split()
    assert "d-none" in account_bar and "d-lg-flex" in account_bar


def test_the_menu_carries_the_account_links_on_a_phone(buyer_client):
    html = menu(page(buyer_client, "/shop/catalogue/"))
    assert f'href="{reverse("customer:order-list")}"' in html and "我的订单" in html
    # Signing out is a POST from the menu too.
    assert re.search(rf'<form method="post" action="{reverse("customer:logout")}">', html)
    assert "退出" in html or "注销" in html


def test_someone_signed_out_finds_sign_in_in_the_menu():
    html = menu(page(Client(), "/shop/catalogue/"))
    assert f'href="{reverse("customer:login")}"' in html
    assert reverse("customer:order-list") not in html


def test_the_account_tabs_are_one_navigation_row_with_the_current_tab_marked(buyer_client):
    html = page(buyer_client, "/shop/accounts/orders/")
    nav = html[html.index('<ul class="nav nav-pills account-nav"') :]
    nav = nav[: nav.index("</ul>")]
    assert re.search(rf'href="{reverse("customer:order-list")}" class="nav-link active"', nav)
    assert reverse("cms:following") in nav
