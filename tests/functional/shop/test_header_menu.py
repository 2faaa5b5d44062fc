"""The header's category menu, on every shop page."""

import pytest

from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def menu(client):
    html = client.get("/shop/catalogue/").content.decode()
    start = html.index('aria-labelledby="navbarDropdown"')
    return html[start : html.index("</div>", html.index('href="/shop/offers/"', start))]


def test_the_menu_lists_public_top_level_categories_in_tree_order_and_leaves_out_the_rest(client):
    tea = CategoryFactory("茶叶饮品")
    CategoryFactory("白茶", parent=tea)
    fruit = CategoryFactory("蔬菜水果")
    hidden = CategoryFactory("内部测试")
    hidden.is_public = False
    hidden.save()
    left_out = CategoryFactory("活动专区")
    left_out.exclude_from_menu = True
    left_out.save()
    html = menu(client)
    assert html.index(tea.get_absolute_url()) < html.index(fruit.get_absolute_url())
    assert "茶叶饮品" in html and "蔬菜水果" in html
    assert "白茶" not in html and "内部测试" not in html and "活动专区" not in html


def test_a_renamed_category_shows_its_new_name_on_the_next_page(client):
    tea = CategoryFactory("茶叶饮品")
    assert "茶叶饮品" in menu(client)
    tea.name = "茶叶与饮品"
    tea.save()
    assert "茶叶与饮品" in menu(client)
