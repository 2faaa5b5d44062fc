"""Oscar's offer and voucher pages in the back office as the administrator reads them: the search filters and the offer
types in Chinese."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory, VoucherSetFactory

from tests.factories import UserFactory

ConditionalOffer = get_model("offer", "ConditionalOffer")

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def page(client, url, query):
    response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_the_voucher_list_filtered_by_name_names_the_filter_in_chinese(admin_client):
    html = page(admin_client, reverse("dashboard:voucher-list"), {"name": "春节"})
    assert "筛选条件：" in html and "名称匹配“春节”" in html
    assert "Filters:" not in html


def test_a_voucher_set_filtered_by_code_names_the_filter_in_chinese(admin_client):
    voucher_set = VoucherSetFactory(count=2)
    html = page(admin_client, reverse("dashboard:voucher-set-detail", kwargs={"pk": voucher_set.pk}), {"code": "AB"})
    assert "筛选条件：" in html
    assert "Filters:" not in html


def test_the_offer_list_names_the_filter_and_each_offers_type_in_chinese(admin_client):
    ConditionalOfferFactory(name="春节特惠", offer_type=ConditionalOffer.SITE)
    html = page(admin_client, reverse("dashboard:offer-list"), {"name": "春节"})
    assert "筛选条件：" in html and "名称匹配“春节”" in html
    assert "Filters:" not in html
    assert "<td>全站优惠 - 所有用户均可享受</td>" in html
    assert "<td>Site</td>" not in html


def test_a_range_named_with_markup_cannot_plant_script_on_the_offer_pages(admin_client):
    """Oscar writes a range's name, typed in the back office by any offer editor, into the condition's and benefit's
    description as HTML; the offer list and a voucher set's page show them to every other operator."""
    Range = get_model("offer", "Range")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    planted = Range.objects.create(name="茶叶")
    # Written past the model's save (which keeps a range's name as plain text: see the next test), as a row from an
    # earlier release or a bulk update would be.
    Range.objects.filter(pk=planted.pk).update(name='茶叶<img src=x onerror="alert(1)"><script>alert(2)</script>')
    planted.refresh_from_db()
    offer = ConditionalOfferFactory(
        name="春节特惠",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=planted, type=Condition.COUNT, value=2),
        benefit=Benefit.objects.create(range=planted, type=Benefit.PERCENTAGE, value=10),
    )
    voucher_set = VoucherSetFactory(count=1)
    voucher_set.vouchers.first().offers.add(offer)
    for url in (
        reverse("dashboard:offer-list"),
        reverse("dashboard:voucher-set-detail", kwargs={"pk": voucher_set.pk}),
    ):
        html = page(admin_client, url, {})
        assert "茶叶" in html and "春节特惠" in html, url  # the offer is shown, its range still named
        assert "onerror" not in html and "<script>alert" not in html, url


def test_a_range_keeps_its_name_as_plain_text_whoever_saves_it(admin_client):
    """Oscar's offer detail and voucher pages print the range's name inside the condition's and benefit's HTML."""
    Range = get_model("offer", "Range")
    product_range = Range.objects.create(name='茶叶<img src=x onerror="alert(1)"> & 蜂蜜')
    product_range.refresh_from_db()
    assert product_range.name == "茶叶 & 蜂蜜"
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    offer = ConditionalOfferFactory(
        name="春节特惠",
        condition=Condition.objects.create(range=product_range, type=Condition.COUNT, value=2),
        benefit=Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=10),
    )
    html = page(admin_client, reverse("dashboard:offer-detail", kwargs={"pk": offer.pk}), {})
    assert "茶叶 &amp; 蜂蜜" in html or "茶叶 & 蜂蜜" in html
    assert "onerror" not in html
