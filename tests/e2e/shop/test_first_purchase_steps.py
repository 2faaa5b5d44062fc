import re

import pytest

from cms import demo as cms_demo
from tests.factories import certified_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_goes_from_the_home_page_to_a_basket_priced_in_yuan(live_server, page):
    cms_demo.load()
    certified_product(title="湘西猕猴桃 红心", price="88.00")

    page.goto(live_server.url + "/")
    assert "买一份特产" in page.content()
    page.get_by_role("link", name=re.compile("认定产品|Browse")).first.click()
    page.wait_for_url(re.compile(r"/shop/catalogue/"))

    page.get_by_role("link", name="湘西猕猴桃 红心").first.click()
    page.wait_for_url(re.compile(r"/shop/catalogue/.+_\d+/"))
    page.locator("#add_to_basket_form button[type=submit]").click()

    page.goto(live_server.url + "/shop/basket/")
    total = page.locator("#basket_totals").inner_text()
    assert "¥88.00" in total
