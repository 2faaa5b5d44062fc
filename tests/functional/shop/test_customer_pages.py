"""Oscar's customer pages in the back office (顾客, /shop/dashboard/users/) as the administrator reads them: headings,
flags and statuses in Chinese, bulk actions named the right way round, only sortable columns offered for sorting, and
sort arrows drawn in a font the dashboard loads."""

import re
from pathlib import Path

import oscar
import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, certified_product
from tests.functional.i18n.test_chinese_crawl import Page, english_in
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = UserFactory(is_staff=True, is_superuser=True, first_name="管理员")
    client.force_login(user)
    return user


def chinese_page(client, url, query=None):
    response = client.get(url, query or {}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def english_on(html):
    page = Page()
    page.feed(html)
    return english_in(page.texts)


def test_the_customer_list_heads_names_and_shows_flags_in_chinese(client, admin):
    UserFactory(first_name="李爱心", is_active=False)
    html = chinese_page(client, reverse("dashboard:users-index"))
    assert english_on(html) == []
    assert re.search(r'<a href="\?sort=name">姓名 <span></span></a>', html)
    assert '<span class="true">是</span>' in html and '<span class="false">否</span>' in html
    assert ">True<" not in html and ">False<" not in html


def test_the_customer_lists_bulk_actions_are_named_the_right_way_round(client, admin):
    html = chinese_page(client, reverse("dashboard:users-index"))
    assert re.search(r'value="make_active" />\s*<label [^>]*for="make_active_check">设为启用<', html)
    assert re.search(r'value="make_inactive" />\s*<label [^>]*for="make_inactive_check">\s*设为停用<', html)
    assert 'value="执行"' in html


def test_every_sort_link_on_the_customer_list_opens(client, admin):
    html = chinese_page(client, reverse("dashboard:users-index"))
    sorts = set(re.findall(r'href="\?sort=(-?\w+)"', html))
    assert {"email", "name", "active", "staff", "num_orders"} <= sorts
    assert "actions" not in sorts
    for sort in sorts | {"actions", "-actions"}:
        assert client.get(reverse("dashboard:users-index"), {"sort": sort}).status_code == 200, sort


def test_a_customers_page_shows_flags_statuses_and_a_missing_sign_in_in_chinese(client, admin):
    buyer = UserFactory(first_name="张三")
    place(buyer, basket_for(buyer, (certified_product(title="桑植白茶 明前"), 1)))
    html = chinese_page(client, reverse("dashboard:user-detail", kwargs={"pk": buyer.pk}))
    assert english_on(html) == []
    assert re.search(r"<th>姓名</th>\s*<td>张三</td>", html)
    assert re.search(r"<th>超级用户\?</th>\s*<td>否</td>", html)
    assert re.search(r"<th>上次登录</th>\s*<td>-</td>", html)
    assert "<td>待付款</td>" in html and "<td>pending</td>" not in html


def font_families_declared(css):
    return {family.strip("'\"") for family in re.findall(r"@font-face\s*{[^}]*font-family:\s*([^;]+);", css)}


def test_the_sort_arrows_are_drawn_in_a_font_the_dashboard_declares():
    oscar_css = (Path(oscar.__file__).parent / "static/oscar/css/dashboard.css").read_text()
    our_css = (Path(settings.BASE_DIR) / "static/css/dashboard.css").read_text()
    declared = font_families_declared(oscar_css)
    # The rule for the arrows in our stylesheet comes after Oscar's and wins; its family may be Oscar's own variable.
    rules = re.findall(r"th\.desc span::?before\s*{([^}]*)}", oscar_css + our_css)
    family = re.search(r"font-family:\s*([^;]+);", rules[-1]).group(1)
    variables = dict(re.findall(r"(--fa-family-classic):\s*([^;]+);", oscar_css))
    family = re.sub(r"var\((--[\w-]+)[^)]*\)", lambda match: variables[match.group(1)], family)
    assert family.strip().strip("'\"") in declared


def test_the_product_and_category_lists_are_drawn_as_the_dashboards_tables(client, admin):
    certified_product(title="桑植白茶")
    products = chinese_page(client, reverse("dashboard:catalogue-product-list"))
    # Oscar's table template: its caption with the count, the striped table, sortable headings.
    assert re.search(r'<table[^>]*class="[^"]*table-striped', products)
    assert "<caption>" in products and "桑植白茶" in products
    assert not re.search(r"<table\s*>", products)
    get_model("catalogue", "Category").add_root(name="茶叶")
    categories = chinese_page(client, reverse("dashboard:catalogue-category-list"))
    assert re.search(r'<table[^>]*class="[^"]*table-striped', categories) and "茶叶" in categories
