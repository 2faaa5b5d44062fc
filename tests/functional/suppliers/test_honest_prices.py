"""Honest prices: a certified product's price reference, rises above the margin held for the county office, the price
history and the lowest price of the last 30 days, and the offices' list of products priced above their reference."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from suppliers.models import (
    CertificationStatus,
    PriceChange,
    PriceChangeStatus,
    PriceHistory,
    PriceSource,
    ProductCertification,
)
from suppliers.selectors import lowest_recent_price, prices_above_reference
from suppliers.services import price_limit, product_certification_apply
from tests.factories import (
    CategoryFactory,
    CertifiedPartnerFactory,
    ProductFactory,
    StockRecordFactory,
    UserFactory,
    certified_product,
    region,
)
from tests.functional.suppliers.test_change_requests import edit_url, product_form

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
PRICES = "/shop/dashboard/suppliers/prices/"


@pytest.fixture
def partner():
    return CertifiedPartnerFactory(name="合群村白茶合作社", region=region("430822101201", "合群村"))


@pytest.fixture
def staff(partner):
    user = UserFactory(role="supplier")
    partner.users.add(user)
    return user


@pytest.fixture
def product(partner):
    product = certified_product(partner=partner, title="桑植白茶", price="100.00", categories=[CategoryFactory("茶叶")])
    product.certifications.update(
        reference_price=Decimal("100.00"), reference_source=PriceSource.CHANNEL, reference_note="某电商平台 2026-05"
    )
    return product


@pytest.fixture
def reviewer():
    return UserFactory(role="county", region=region("430822000000", "桑植县"))


def set_price(client, staff, product, price):
    client.force_login(staff)
    return client.post(edit_url(product), product_form(product, **{"stockrecords-0-price": price}), follow=True)


def shown_price(product):
    return StockRecord.objects.get(product=product).price


def test_the_margin_is_twenty_percent_rounded_to_the_fen():
    assert price_limit(Decimal("100.00")) == Decimal("120.00")
    assert price_limit(Decimal("9.99")) == Decimal("11.99")  # 11.988 rounds half up


def test_a_rise_within_the_margin_shows_at_once_and_is_kept_in_the_history(client, staff, product):
    set_price(client, staff, product, "118.00")
    assert shown_price(product) == Decimal("118.00")
    assert not PriceChange.objects.exists()
    history = list(PriceHistory.objects.order_by("shown_from", "pk").values_list("price", flat=True))
    assert history == [Decimal("100.00"), Decimal("118.00")]


def test_a_rise_above_the_margin_waits_for_the_county_and_buyers_keep_the_old_price(client, staff, product, reviewer):
    response = set_price(client, staff, product, "130.00")
    assert "县扶贫办审核通过后才会显示" in response.content.decode()
    assert shown_price(product) == Decimal("100.00")
    change = PriceChange.objects.get()
    assert (change.old_price, change.new_price, change.status) == (
        Decimal("100.00"),
        Decimal("130.00"),
        PriceChangeStatus.PENDING,
    )
    client.logout()
    assert "¥100.00" in client.get(product.get_absolute_url()).content.decode()

    client.force_login(reviewer)
    page = client.get(PRICES).content.decode()
    assert "桑植白茶" in page and "30.0%" in page
    client.post(reverse("suppliers-dashboard:price-decide", kwargs={"pk": change.pk, "decision": "approve"}))
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.APPROVED and change.decided_by == reviewer
    assert shown_price(product) == Decimal("130.00")


def test_a_refused_rise_keeps_the_old_price_and_a_refusal_needs_a_reason(client, staff, product, reviewer):
    set_price(client, staff, product, "150.00")
    change = PriceChange.objects.get()
    client.force_login(reviewer)
    url = reverse("suppliers-dashboard:price-decide", kwargs={"pk": change.pk, "decision": "reject"})
    assert "请说明不同意涨价的理由" in client.post(url, follow=True).content.decode()
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.PENDING
    client.post(url, {"reason": "高出市场价过多"})
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.REJECTED
    assert shown_price(product) == Decimal("100.00")


def test_a_second_rise_while_one_waits_is_refused_in_chinese(client, staff, product):
    set_price(client, staff, product, "150.00")
    response = set_price(client, staff, product, "160.00")
    assert "该产品的涨价申请正等待县扶贫办审批" in response.content.decode()
    assert PriceChange.objects.count() == 1 and shown_price(product) == Decimal("100.00")


def test_the_supplier_the_city_and_another_county_cannot_decide_a_rise(client, staff, product):
    set_price(client, staff, product, "150.00")
    change = PriceChange.objects.get()
    url = reverse("suppliers-dashboard:price-decide", kwargs={"pk": change.pk, "decision": "approve"})
    client.force_login(staff)
    assert client.post(url).status_code == 403
    assert client.get(PRICES).status_code == 403
    client.force_login(UserFactory(role="city", region=region("430800000000", "张家界市")))
    assert client.post(url).status_code == 403
    client.force_login(UserFactory(role="county", region=region("430821000000", "慈利县")))
    assert client.post(url).status_code == 404
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.PENDING and shown_price(product) == Decimal("100.00")


def test_the_product_page_shows_the_lowest_price_of_the_last_30_days_after_a_rise(client, staff, product):
    page = client.get(product.get_absolute_url()).content.decode()
    assert "近30天最低价" not in page
    set_price(client, staff, product, "110.00")
    client.logout()
    page = client.get(product.get_absolute_url()).content.decode()
    assert "近30天最低价：¥100.00" in page


def test_the_30_day_minimum_counts_the_price_showing_when_the_window_began(product):
    stockrecord = StockRecord.objects.get(product=product)
    now = timezone.now()
    for days_ago, price in ((60, "80.00"), (40, "95.00"), (10, "90.00"), (2, "120.00")):
        PriceHistory.objects.create(stockrecord=stockrecord, price=Decimal(price), shown_from=now - timedelta(days_ago))
    stockrecord.price = Decimal("120.00")
    # 95.00 was showing when the window began (80.00 ended before it), 90.00 showed within it.
    assert lowest_recent_price(stockrecord=stockrecord, now=now) == Decimal("90.00")
    assert lowest_recent_price(stockrecord=stockrecord, now=now + timedelta(days=9)) == Decimal("90.00")
    # Forty days on, only 120.00 has shown for thirty days: nothing to show.
    assert lowest_recent_price(stockrecord=stockrecord, now=now + timedelta(days=40)) is None


def test_offices_see_products_priced_above_their_reference(client, partner, product, django_assert_max_num_queries):
    StockRecord.objects.filter(product=product).update(price=Decimal("115.00"))
    cheaper = certified_product(partner=partner, title="张家界莓茶", price="40.00")
    cheaper.certifications.update(reference_price=Decimal("45.00"), reference_source=PriceSource.INVOICE)
    rows = list(prices_above_reference(region=region("430800000000", "张家界市")))
    assert [(row.product.title, row.reference, round(row.excess_percent, 1)) for row in rows] == [
        ("桑植白茶", Decimal("100.00"), Decimal("15.0"))
    ]
    client.force_login(UserFactory(role="city", region=region("430800000000", "张家界市")))
    with django_assert_max_num_queries(20):
        page = client.get(PRICES)
    assert page.status_code == 200
    assert "15.0%" in page.content.decode() and "张家界莓茶" not in page.content.decode()
    # The reference is shown to the fen, as every price is.
    above = page.content.decode().split('id="above-reference"')[1].split("</table>")[0]
    assert "<td>¥100.00</td><td>¥115.00</td>" in above


def test_the_county_reads_the_price_proof_of_an_application_or_that_none_was_given(client, partner, reviewer):
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    with_proof, without = ProductFactory(title="桑植莓茶"), ProductFactory(title="桑植腊肉")
    for product in (with_proof, without):
        StockRecordFactory(product=product, partner=partner)
    product_certification_apply(
        user=staff,
        partner=partner,
        product=with_proof,
        reference_price=Decimal("56.00"),
        reference_source=PriceSource.INVOICE,
        reference_note="发票 No.0012",
    )
    # An application from before the price proof was required.
    ProductCertification.objects.create(product=without, partner=partner, applied_by=staff)
    assert ProductCertification.objects.filter(status=CertificationStatus.PENDING).count() == 2
    client.force_login(reviewer)
    page = client.get(reverse("suppliers-dashboard:certification-list")).content.decode()
    assert "参考价 ¥56.00 · 发票 · 发票 No.0012" in page
    assert page.count("未提供价格佐证") == 1
