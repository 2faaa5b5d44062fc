"""The buyer's shop on a phone (390 × 844): nothing scrolls sideways, the first product is on the first screen, and a
purchase from two suppliers goes from a search to a placed cash-on-delivery order with the thumb alone."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from regions import demo as regions_demo
from tests.e2e.shop.test_marketplace_journey import sign_in
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shop():
    regions_demo.load()
    regions_demo.load_code_list()
    tea_house = CertifiedPartnerFactory(
        name="桑植县白茶产业合作社",
        shipping_rate=Decimal("8.00"),
        free_shipping_threshold=Decimal("99.00"),
        allows_cash_on_delivery=True,
    )
    bacon_works = CertifiedPartnerFactory(
        name="凤凰县腊味食品有限公司", shipping_rate=Decimal("10.00"), allows_cash_on_delivery=True
    )
    products = [
        certified_product(partner=tea_house, title=f"桑植白茶 明前特级 {grade}号 250克礼盒装", price="88.00")
        for grade in range(1, 7)
    ] + [
        certified_product(partner=bacon_works, title=f"湘西腊肉 农家柴火烟熏五花肉 {weight}斤装", price="66.00")
        for weight in range(1, 7)
    ]
    buyer = UserFactory(email="phone-buyer@example.cn")
    return {"tea_house": tea_house, "bacon_works": bacon_works, "products": products, "buyer": buyer}


def scroll_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_no_buyer_page_scrolls_sideways_on_a_phone(live_server, page, shop):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, shop["buyer"])
    tea, bacon = shop["products"][0], shop["products"][-1]
    for product in (tea, bacon):
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()
    pages = [
        "/",
        "/shop/catalogue/",
        "/shop/search/?q=白茶",
        tea.get_absolute_url(),
        "/shop/basket/",
        "/shop/checkout/shipping-address/",
        "/shop/suppliers/",
        "/shop/suppliers/catalogue/",
        "/shop/suppliers/notice/",
        f"/shop/suppliers/{shop['tea_house'].pk}/",
        "/shop/accounts/",
        "/shop/accounts/orders/",
    ]
    wide = {}
    for url in pages:
        page.goto(live_server.url + url)
        page.wait_for_load_state()
        if scroll_width(page) > PHONE["width"]:
            wide[url] = scroll_width(page)
    assert wide == {}


@pytest.mark.parametrize("url", ["/shop/catalogue/", "/shop/search/?q=桑植"])
def test_the_first_product_is_on_the_first_screen(live_server, page, shop, url):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url)
    first = page.locator("#product_list > li").first
    box = first.locator("h3 a").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    # Two cards side by side.
    second = page.locator("#product_list > li").nth(1).bounding_box()
    assert second["y"] == first.bounding_box()["y"]


def test_the_facets_slide_in_behind_the_filter_button_and_close_again(live_server, page, shop):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/shop/catalogue/")
    panel = page.locator("#facet-panel")
    assert not panel.is_visible()
    page.get_by_role("link", name="筛选").click()
    expect(panel).to_be_in_viewport()
    assert panel.get_by_text("桑植县白茶产业合作社").is_visible()
    panel.get_by_role("link", name="确定").click()
    expect(panel).to_be_hidden()
    assert scroll_width(page) <= PHONE["width"]


def test_search_product_basket_of_two_suppliers_cash_on_delivery_order_placed(live_server, page, shop):
    page.set_viewport_size(PHONE)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, shop["buyer"])

    page.goto(live_server.url + "/shop/catalogue/")
    page.fill("#shop-search-q", "白茶")
    page.locator("#shop-search-bar button[type=submit]").click()
    page.wait_for_url(re.compile(r"/shop/search/"))
    page.locator("#product_list > li").first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/shop/catalogue/.+_\d+/"))
    assert "运费 ¥8.00，满 ¥99.00 包邮" in page.locator("#shipping-estimate").inner_text()
    page.get_by_role("button", name="增加一件").click()
    assert page.input_value("#id_quantity") == "2"
    assert page.locator("#buy-bar").is_visible()
    page.get_by_role("button", name="加入购物车").click()
    page.wait_for_load_state()

    page.fill("#shop-search-q", "腊肉")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/shop/search/"))
    page.locator("#product_list > li").first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/shop/catalogue/.+_\d+/"))
    page.get_by_role("button", name="立即购买").click()
    page.wait_for_url(re.compile(r"/shop/checkout/"))

    page.goto(live_server.url + "/shop/basket/")
    groups = page.locator("section.supplier-group")
    assert groups.count() == 2
    tea_group = groups.filter(has_text="桑植县白茶产业合作社")
    assert "包邮" in tea_group.inner_text()  # 2 × 88 is above the 99 that ships free
    assert "运费 ¥10.00" in groups.filter(has_text="凤凰县腊味食品有限公司").inner_text()
    assert "¥252.00" in page.locator("#basket-grand-total").inner_text()  # 176 + 66 + 10
    page.locator("#basket-checkout").click()

    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("#id_first_name", "张三")
    page.fill("#id_phone_number", "13800138000")
    # Province, city, county and township come from the picker; the text fields it fills are hidden behind it.
    page.locator("#id_state_picker").select_option(label="湖南省")
    page.locator("#id_line4_picker").select_option(label="张家界市")
    page.locator("#id_line3_picker").select_option(label="桑植县")
    assert not page.locator("#id_line3").is_visible()
    page.locator("#id_line2_picker").select_option(label="澧源镇")
    assert not page.locator("#id_line2").is_visible()
    page.fill("#id_line1", "人民路8号")
    page.locator("form button[type=submit]").last.click()

    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    assert scroll_width(page) <= PHONE["width"]
    page.get_by_role("radio", name=re.compile("货到付款")).check()
    assert page.locator("label.choice-card", has_text="货到付款").is_visible()
    page.locator("#payment-method-continue").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))

    order = Order.objects.get(user=shop["buyer"])
    assert order.payment_method == "cod"
    address = order.shipping_address
    assert (address.state, address.line4, address.line3, address.line2, address.line1) == (
        "湖南省",
        "张家界市",
        "桑植县",
        "澧源镇",
        "人民路8号",
    )
    assert {line.partner_name for line in order.lines.all()} == {"桑植县白茶产业合作社", "凤凰县腊味食品有限公司"}
    assert not [error for error in errors if "Content Security Policy" in error or "Content-Security-Policy" in error]


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}])
def test_every_payment_option_can_be_tapped_and_continue_covers_none(live_server, page, shop, viewport):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, shop["buyer"])
    page.goto(live_server.url + shop["products"][0].get_absolute_url())
    page.get_by_role("button", name="加入购物车").click()
    page.goto(live_server.url + "/shop/checkout/shipping-address/")
    page.fill("#id_first_name", "张三")
    page.fill("#id_phone_number", "13800138000")
    page.locator("#id_state_picker").select_option(label="湖南省")
    page.locator("#id_line4_picker").select_option(label="张家界市")
    page.locator("#id_line3_picker").select_option(label="桑植县")
    page.fill("#id_line1", "澧源镇人民路8号")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))

    group = page.get_by_role("group", name="付款方式")
    for name in ("对公转账", "货到付款"):
        # A click lands on the option itself: Playwright refuses when another element would receive it.
        group.get_by_text(re.compile(name)).first.click()
        assert group.get_by_role("radio", name=re.compile(name)).is_checked()
    button = page.locator("#payment-method-continue").bounding_box()
    for card in page.locator("label.choice-card").all():
        box = card.bounding_box()
        assert button["y"] >= box["y"] + box["height"] or button["x"] >= box["x"] + box["width"]


def test_one_menu_on_a_phone_with_the_account_tabs_as_one_row_above_the_orders(live_server, page, shop):
    from tests.integration.shop.support import basket_for, place

    order = place(shop["buyer"], basket_for(shop["buyer"], (shop["products"][0], 1))).order
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, shop["buyer"])
    page.goto(live_server.url + "/shop/accounts/orders/")
    togglers = [toggler for toggler in page.locator(".navbar-toggler").all() if toggler.is_visible()]
    assert len(togglers) == 1
    assert not page.locator("#top_page").is_visible()
    tabs = page.locator("#account-nav").bounding_box()
    assert tabs["height"] < 60  # one row, not a list a screen tall
    card = page.locator(".order-card").first.bounding_box()
    assert card["y"] + 40 < PHONE["height"]
    assert scroll_width(page) <= PHONE["width"]
    togglers[0].click()
    page.locator("#menu-orders").wait_for(state="visible")
    page.locator("#menu-orders").click()
    page.wait_for_url(re.compile(r"/shop/accounts/orders/$"))
    # The order page's lines are rows a buyer can read, not a title one character a line.
    page.goto(live_server.url + f"/shop/accounts/orders/{order.number}/")
    assert page.locator(".order-line-title").first.bounding_box()["width"] > 150
    assert scroll_width(page) <= PHONE["width"]

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/shop/accounts/orders/")
    assert page.locator("#top_page").is_visible()
    assert not page.locator(".navbar-toggler").is_visible()
