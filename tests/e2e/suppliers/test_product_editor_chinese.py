"""A supplier edits a product's description on a phone in Chinese: the editor Oscar's dashboard ships (TinyMCE, without
language packs) reads in Chinese too, its toolbar, its style names and the editing area's title."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.shop.test_marketplace_journey import sign_in
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def test_the_description_editor_reads_in_chinese(live_server, page):
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    product = certified_product(partner=partner, title="桑植白茶 明前", description="<p>明前嫩芽</p>")
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, staff)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/shop/dashboard/catalogue/products/{product.pk}/")
    expect(page.locator(".tox-editor-header")).to_be_visible()
    assert page.locator("iframe.tox-edit-area__iframe").get_attribute("title") == "富文本编辑区"
    # TinyMCE fills its toolbar after drawing the header: wait for the first button before reading them all.
    expect(page.locator(".tox-tbtn").first).to_be_visible()
    buttons = page.eval_on_selector_all(
        ".tox-tbtn", "buttons => buttons.map(b => (b.getAttribute('aria-label') || '') + ' ' + b.innerText)"
    )
    assert buttons and "正文" in buttons[0]
    assert [label for label in buttons if ENGLISH_WORD.search(label)] == []
    assert errors == []
