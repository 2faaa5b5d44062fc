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
