"""The basket page: offers, vouchers and what each line shows of its product are right at once, in few queries."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from suppliers import services
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")
BASKET_PAGE_QUERIES = 8


def basket_page(client):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return response.content.decode()


def add(client, product, quantity=1):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302


def set_quantity(client, quantity):
    """Change the one line's quantity on the basket page, as its form does; the page's answer."""
    line = get_model("basket", "Line").objects.get()
    formset = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    return client.post(reverse("basket:summary"), {**formset, "form-0-id": line.pk, "form-0-quantity": quantity})


def form_token(body, form_id):
    """The token the page gives the form `form_id`: inside it, or beside it naming it (a cached basket page)."""
    found = re.search(rf'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)" form="{form_id}">', body)
    found = found or re.search(
        rf'id="{form_id}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', body
    )
    return found and found.group(1)


def set_price(product, price):
    stockrecord = product.stockrecords.get()
    stockrecord.price = price
    stockrecord.save()


def ten_percent_off(name, offer_type=ConditionalOffer.SITE, **dates):
    everything = Range.objects.create(name=f"{name}范围", includes_all_products=True)
    return ConditionalOffer.objects.create(
        name=name,
        offer_type=offer_type,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
        **dates,
    )


def ten_percent_voucher(code):
    voucher = Voucher.objects.create(
        name="扶贫代金券",
        code=code,
        usage=Voucher.MULTI_USE,
        start_datetime=timezone.now() - datetime.timedelta(days=1),
        end_datetime=timezone.now() + datetime.timedelta(days=30),
    )
    voucher.offers.add(ten_percent_off("扶贫代金券优惠", offer_type=ConditionalOffer.VOUCHER))
    return voucher


def test_the_basket_page_costs_the_same_few_queries_for_one_line_or_five(client):
    partner = CertifiedPartnerFactory()
    products = [certified_product(partner=partner, title=f"桑植白茶{i}") for i in range(5)]
    add(client, products[0])
    basket_page(client)
    with CaptureQueriesContext(connection) as one_line:
        basket_page(client)
    for product in products[1:]:
        add(client, product)
    basket_page(client)
    with CaptureQueriesContext(connection) as five_lines:
        body = basket_page(client)
    assert all(f"桑植白茶{i}" in body for i in range(5))
    # Each line's own hidden id is in its row, so updating quantities names the right lines.
    line_ids = get_model("basket", "Line").objects.order_by("pk").values_list("pk", flat=True)
    for index, line_id in enumerate(line_ids):
        assert f'<input type="hidden" name="form-{index}-id" value="{line_id}" id="id_form-{index}-id">' in body
    # The basket, its lines (with product, class, stock record and supplier), their options and pictures, whether
    # they may be sold, and the site offers: the same few queries whatever the number of lines.
    assert len(one_line) == len(five_lines) <= BASKET_PAGE_QUERIES


def test_a_new_site_offer_applies_at_once_and_a_suspended_one_stops_at_once(client):
    add(client, certified_product(title="保靖黄金茶", price="100.00"), 2)
    assert "¥200.00" in basket_page(client) and "消费扶贫月九折" not in basket_page(client)

    offer = ten_percent_off("消费扶贫月九折")
    body = basket_page(client)
    assert "消费扶贫月九折" in body and "-¥20.00" in body

    offer.suspend()
    body = basket_page(client)
    assert "消费扶贫月九折" not in body and "-¥20.00" not in body


def test_a_site_offer_starts_and_ends_on_time_though_the_offers_are_kept_between_requests(client):
    add(client, certified_product(title="保靖黄金茶", price="100.00"))
    now = timezone.now()
    ten_percent_off(
        "双十二九折", start_datetime=now + datetime.timedelta(hours=1), end_datetime=now + datetime.timedelta(hours=2)
    )
    assert "双十二九折" not in basket_page(client)  # not started yet; the open offers are now kept

    with mock.patch("shop.basket.offers.timezone.now", return_value=now + datetime.timedelta(minutes=61)):
        body = basket_page(client)
    assert "双十二九折" in body and "-¥10.00" in body

    with mock.patch("shop.basket.offers.timezone.now", return_value=now + datetime.timedelta(minutes=121)):
        body = basket_page(client)
    assert "双十二九折" not in body and "-¥10.00" not in body


def test_a_changed_benefit_applies_at_once(client):
    add(client, certified_product(title="保靖黄金茶", price="100.00"))
    offer = ten_percent_off("消费扶贫月九折")
    assert "-¥10.00" in basket_page(client)
    offer.benefit.value = 20
    offer.benefit.save()
    body = basket_page(client)
    assert "-¥20.00" in body and "-¥10.00" not in body


def test_the_voucher_box_is_in_the_visitors_language_with_their_own_token(client):
    add(client, certified_product(title="古丈毛尖", price="80.00"))
    chinese = basket_page(client)
    assert 'id="voucher_form"' in chinese and "编码" in chinese
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = basket_page(client)
    assert 'name="code"' in english and "Code" in english and "编码" not in english
    # The token in the box is the visitor's: another visitor's page carries a token that does not pass for theirs.
    other = Client()
    add(other, certified_product(title="保靖黄金茶"))
    token = form_token(english, "voucher_form")
    assert token and token != form_token(basket_page(other), "voucher_form")


def test_a_voucher_added_to_the_basket_gives_its_discount(client):
    add(client, certified_product(title="古丈毛尖", price="80.00"))
    basket_page(client)  # the basket is loaded knowing it holds no voucher
    ten_percent_voucher("FUPIN10")
    response = client.post(reverse("basket:vouchers-add"), {"code": "fupin10"})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as with_voucher:
        body = basket_page(client)
    assert "FUPIN10" in body and "-¥8.00" in body
    assert any("voucher_voucher" in query["sql"] for query in with_voucher.captured_queries)

    voucher = Voucher.objects.get()
    response = client.post(reverse("basket:vouchers-remove", kwargs={"pk": voucher.pk}))
    assert response.status_code == 302
    assert "已从购物车中移除" in basket_page(client)  # the message that it was taken out, once
    with CaptureQueriesContext(connection) as without:
        body = basket_page(client)
    assert "FUPIN10" not in body and "-¥8.00" not in body
    # A basket that holds no voucher again is priced without looking for one.
    assert not any("voucher_voucher" in query["sql"] for query in without.captured_queries)


def test_a_voucher_in_a_visitors_basket_keeps_its_discount_when_they_sign_in_and_the_baskets_merge(client):
    buyer = UserFactory()
    earlier = Client()
    earlier.force_login(buyer)
    add(earlier, certified_product(title="保靖黄金茶", price="100.00"))  # the buyer's basket from an earlier visit
    add(client, certified_product(title="古丈毛尖", price="80.00"))
    ten_percent_voucher("FUPIN10")
    assert client.post(reverse("basket:vouchers-add"), {"code": "FUPIN10"}).status_code == 302

    client.force_login(buyer)  # the visitor's basket is merged into the buyer's on their next page
    body = basket_page(client)
    assert "保靖黄金茶" in body and "古丈毛尖" in body
    assert "FUPIN10" in body and "-¥18.00" in body  # a tenth of both lines
    assert Basket.objects.get(owner=buyer, status=Basket.OPEN).may_hold_vouchers


def test_running_out_of_stock_and_revocation_show_on_the_basket_lines_at_once(client):
    product = certified_product(title="龙山百合", stock=5)
    add(client, product)
    assert 'class="availability instock"' in basket_page(client)
    stockrecord = product.stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()
    assert 'class="availability outofstock"' in basket_page(client)

    stockrecord.num_in_stock = 5
    stockrecord.save()
    certification = product.certifications.get()
    reviewer = UserFactory(role="county", region=certification.certifying_office)
    services.certification_revoke(certification=certification, reviewer=reviewer, reason="抽检不合格")
    body = basket_page(client)
    assert 'class="availability not-certified"' in body and "重新认定前不能购买" in body


def test_a_basket_cookie_that_names_no_open_basket_is_dropped_and_the_visitor_starts_afresh(client, settings):
    product = certified_product(title="桑植白茶")
    add(client, product)
    assert "桑植白茶" in basket_page(client)
    cookie_key = settings.OSCAR_BASKET_COOKIE_OPEN
    Basket = get_model("basket", "Basket")
    basket = Basket.objects.get()
    basket.freeze()  # being paid for: no longer the visitor's open basket

    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert "桑植白茶" not in response.content.decode()
    assert response.cookies[cookie_key].value == ""  # deleted

    for forged in ["not-signed", "12:forged-signature"]:
        client.cookies[cookie_key] = forged
        response = client.get(reverse("basket:summary"))
        assert response.status_code == 200
        assert response.cookies[cookie_key].value == ""

    # A new line goes into a new basket; the frozen one is left as it was.
    add(client, product, quantity=2)
    assert "桑植白茶" in basket_page(client)
    assert Basket.objects.filter(status=Basket.OPEN).get().lines.get().quantity == 2
    assert basket.lines.get().quantity == 1


def test_a_basket_that_became_a_customers_is_not_served_to_the_cookie_that_named_it(client, settings):
    add(client, certified_product(title="桑植白茶"))
    assert "桑植白茶" in basket_page(client)  # shows the "added" message once
    Basket = get_model("basket", "Basket")
    basket = Basket.objects.get()
    basket.owner = UserFactory()
    basket.save()

    response = client.get(reverse("basket:summary"))
    assert "桑植白茶" not in response.content.decode()
    assert response.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value == ""


def test_a_basket_emptied_by_its_visitor_stays_theirs(client, settings):
    product = certified_product(title="桑植白茶")
    add(client, product)
    assert "桑植白茶" in basket_page(client)
    Basket = get_model("basket", "Basket")
    Basket.objects.get().lines.all().delete()

    response = client.get(reverse("basket:summary"))
    assert "您的购物车是空的。" in response.content.decode()
    assert settings.OSCAR_BASKET_COOKIE_OPEN not in response.cookies  # kept, not deleted
    add(client, product, quantity=3)
    assert Basket.objects.get().lines.get().quantity == 3


def test_a_quantity_above_the_stock_is_refused_and_shown_back_with_its_error(client):
    product = certified_product(title="桑植白茶", stock=5)
    add(client, product)
    body = basket_page(client)
    assert 'name="form-0-quantity" value="1" min="0" max="5"' in body

    response = client.post(
        reverse("basket:summary"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": get_model("basket", "Line").objects.get().pk,
            "form-0-quantity": 9,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="form-0-quantity" value="9"' in body  # what was sent, to correct
    assert 'class="error-block"' in body
    assert get_model("basket", "Line").objects.get().quantity == 1


def test_two_visitors_with_the_same_product_each_get_their_own_line():
    from django.test import Client

    product = certified_product(title="桑植白茶")
    first, second = Client(), Client()
    add(first, product)
    add(second, product, quantity=2)
    basket_page(first), basket_page(second)  # the "added" messages
    Line = get_model("basket", "Line")
    first_line, second_line = Line.objects.order_by("pk")
    first_body, second_body = basket_page(first), basket_page(second)
    assert f'name="form-0-id" value="{first_line.pk}"' in first_body
    assert f'name="form-0-id" value="{second_line.pk}"' in second_body
    assert f'name="form-0-id" value="{first_line.pk}"' not in second_body
    assert 'name="form-0-quantity" value="2"' in second_body


def test_a_new_price_and_a_new_title_show_on_the_cached_basket_lines_at_once(client):
    from decimal import Decimal

    product = certified_product(title="石门柑橘", price=Decimal("30.00"))
    add(client, product)
    basket_page(client)  # the "added" message
    first = basket_page(client)
    assert "石门柑橘" in first and 'price_color mb-0">¥30.00<' in first

    set_price(product, Decimal("28.50"))
    body = basket_page(client)
    # The line's own price is the new one (Oscar's notice above the lines names the old one too).
    assert 'price_color mb-0">¥28.50<' in body and 'price_color mb-0">¥30.00<' not in body

    product.title = "石门蜜橘"
    product.save()
    body = basket_page(client)
    assert "石门蜜橘" in body and "石门柑橘" not in body


def test_a_changed_quantity_shows_on_the_cached_basket_lines_and_a_refused_one_is_not_kept(client):
    product = certified_product(title="桑植白茶", price="40.00", stock=5)
    add(client, product)
    basket_page(client)  # the "added" message
    assert 'name="form-0-quantity" value="1"' in basket_page(client)  # now from the cache
    set_quantity(client, 3)
    body = basket_page(client)
    assert 'name="form-0-quantity" value="3"' in body and "¥120.00" in body  # the supplier's subtotal

    refused = set_quantity(client, 9)
    assert 'class="error-block"' in refused.content.decode()
    body = basket_page(client)
    assert 'name="form-0-quantity" value="3"' in body and 'class="error-block"' not in body


def test_line_options_and_pictures_are_read_only_where_lines_are_drawn(client):
    partner = CertifiedPartnerFactory()
    for i in range(3):
        add(client, certified_product(partner=partner, title=f"桑植白茶{i}"))
    basket_page(client)
    with CaptureQueriesContext(connection) as unchanged:
        basket_page(client)
    read = " ".join(query["sql"] for query in unchanged.captured_queries)
    # The lines come from the cache: nothing of their options or pictures is read.
    assert "basket_lineattribute" not in read and "catalogue_productimage" not in read

    # Another page's mini-basket draws the lines: their options are read once for all of them, and on the next page,
    # with the basket unchanged, neither their options nor their pictures are read.
    pages = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as page:
            response = client.get(reverse("catalogue:index"))
        assert all(f"桑植白茶{i}" in response.content.decode() for i in range(3))
        pages.append([query["sql"] for query in page.captured_queries])
    assert sum("basket_lineattribute" in sql for sql in pages[0]) == 1
    assert not any("basket_lineattribute" in sql or "catalogue_productimage" in sql for sql in pages[1])


def mini_basket(client):
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index('class="basket-mini') : body.index("</ul>", body.index("basket-mini-item"))]


def test_the_mini_basket_shows_a_new_quantity_price_and_title_at_once_though_it_is_kept_between_pages(client):
    from decimal import Decimal

    product = certified_product(title="石门柑橘", price=Decimal("30.00"), stock=10)
    add(client, product)
    basket_page(client)  # the "added" message
    mini_basket(client)
    dropdown = mini_basket(client)  # kept from the page before
    assert "石门柑橘" in dropdown and "¥30.00" in dropdown and "</strong> 1</div>" in dropdown

    set_quantity(client, 3)
    dropdown = mini_basket(client)
    assert "</strong> 3</div>" in dropdown and "¥90.00" in dropdown

    set_price(product, Decimal("28.50"))
    dropdown = mini_basket(client)
    assert "¥28.50" in dropdown and "¥85.50" in dropdown and "¥30.00" not in dropdown

    product.title = "石门蜜橘"
    product.save()
    dropdown = mini_basket(client)
    assert "石门蜜橘" in dropdown and "石门柑橘" not in dropdown

    # Another visitor's basket of the same product is its own.
    other = Client()
    add(other, product, quantity=2)
    basket_page(other)
    assert "</strong> 2</div>" in mini_basket(other) and "¥57.00" in mini_basket(other)
    assert "</strong> 3</div>" in mini_basket(client)


def test_the_mini_basket_follows_the_language(client):
    product = certified_product(title="桑植白茶")
    add(client, product)
    basket_page(client)
    assert "总额:" in mini_basket(client) and "Total:" not in mini_basket(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    dropdown = mini_basket(client)
    assert "Total:" in dropdown and "总额:" not in dropdown


def test_lines_saved_for_later_are_drawn_with_their_options_and_pictures_read_once(client):
    buyer = UserFactory()
    client.force_login(buyer)
    partner = CertifiedPartnerFactory()
    add(client, certified_product(partner=partner, title="保靖黄金茶"))
    saved = Basket.saved.create(owner=buyer)
    saved.strategy = get_class("partner.strategy", "Selector")().strategy()
    for i in range(3):
        saved.add_product(certified_product(partner=partner, title=f"留着以后买{i}"))
    basket_page(client)
    with CaptureQueriesContext(connection) as visit:
        body = basket_page(client)
    assert all(f"留着以后买{i}" in body for i in range(3))
    for table in ("basket_lineattribute", "catalogue_productimage"):
        assert sum(table in query["sql"] for query in visit.captured_queries) == 1


def test_the_cached_basket_page_gives_each_visit_a_token_that_passes_for_its_forms():
    """The basket's content comes from the cache on a second visit; the token its forms post with never does."""
    client = Client(enforce_csrf_checks=True)
    product = certified_product(title="桑植白茶", price="40.00", stock=5)
    page = client.get(reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.pk}))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    basket_page(client)  # the "added" message
    first = basket_page(client)
    assert form_token(first, "basket_formset") and form_token(first, "voucher_form")
    # A visitor whose token changed (a new browser session, a sign-in) gets the content from the cache and a token
    # that passes: one kept with the content would be refused with 403.
    del client.cookies[settings.CSRF_COOKIE_NAME]
    body = basket_page(client)
    assert form_token(body, "basket_formset") != form_token(first, "basket_formset")
    line = get_model("basket", "Line").objects.get()
    formset = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    response = client.post(
        reverse("basket:summary"),
        {
            **formset,
            "form-0-id": line.pk,
            "form-0-quantity": 2,
            "csrfmiddlewaretoken": form_token(body, "basket_formset"),
        },
    )
    assert response.status_code == 302
    assert get_model("basket", "Line").objects.get().quantity == 2
    body = basket_page(client)
    assert 'name="form-0-quantity" value="2"' in body and "¥80.00" in body
    response = client.post(
        reverse("basket:vouchers-add"), {"code": "NOSUCHCODE", "csrfmiddlewaretoken": form_token(body, "voucher_form")}
    )
    assert response.status_code == 302  # refused as an unknown code, with a message, not as a forged form


def test_the_basket_page_draws_a_new_shipping_charge_and_an_upsell_at_once(client):
    partner = CertifiedPartnerFactory()
    add(client, certified_product(partner=partner, title="保靖黄金茶", price="100.00"))
    basket_page(client)  # the "added" message
    before = basket_page(client)
    everything = Range.objects.create(name="满两件范围", includes_all_products=True)
    ConditionalOffer.objects.create(
        name="满两件九折",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=2),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
    )
    body = basket_page(client)
    assert "满两件九折" in body and "满两件九折" not in before  # the offer's upsell message

    partner.shipping_rate, partner.free_shipping_threshold = Decimal("15.00"), None
    partner.save()
    body = basket_page(client)
    assert 'id="basket-grand-total">¥115.00<' in body  # the goods and the supplier's new shipping
    partner.shipping_rate = Decimal("9.00")
    partner.save()
    assert 'id="basket-grand-total">¥109.00<' in basket_page(client)
