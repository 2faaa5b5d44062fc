"""Refusals, missing pages and server errors answer in Chinese, in the site's own look."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation

from accounts import roles
from tests.factories import UserFactory


def broken_view(request):
    raise RuntimeError("the database is away")


def refusing_view(request):
    raise PermissionDenied


urlpatterns = [
    path("broken/", broken_view),
    path("refused/", refusing_view),
    path("", include("config.urls")),
]


@pytest.mark.django_db
def test_a_unit_member_refused_the_order_pages_reads_why_in_chinese_in_the_sites_layout(client):
    client.force_login(UserFactory(role=roles.UNIT))
    response = client.get("/shop/dashboard/orders/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "只有平台运营人员可以查看全部订单和买家地址。" in html
    assert "您无权打开此页面" in html
    # The site's header, and its account bar for someone signed in.
    assert 'class="header container"' in html
    assert f'href="{reverse("customer:summary")}"' in html and 'id="login_link"' not in html
    assert "Forbidden" not in html


@pytest.mark.django_db
def test_a_village_clerk_refused_the_product_pages_reads_that_they_are_the_suppliers(client):
    client.force_login(UserFactory(role=roles.VILLAGE))
    response = client.get("/shop/dashboard/catalogue/")
    assert response.status_code == 403
    assert "只有供应商本身的工作人员可以管理其商品。" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_editor_refused_oscars_own_pages_reads_a_chinese_reason(client):
    client.force_login(UserFactory(role=roles.EDITOR))
    response = client.get("/shop/dashboard/offers/")
    assert response.status_code == 403
    assert "您的账户无权打开此页面。" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refusal_without_a_reason_gets_the_generic_chinese_one(client):
    response = client.get("/refused/")
    assert response.status_code == 403
    assert "您的账户无权打开此页面。" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_says_so_in_chinese(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html


def test_the_server_error_page_renders_without_a_database_or_a_request():
    # No django_db mark: any query made while rendering would fail this test.
    with translation.override("zh-hans"):
        html = render_to_string("500.html")
    assert "抱歉，网站出了点问题" in html and "消费扶贫商城" in html


@pytest.mark.urls(__name__)
def test_a_view_that_fails_answers_with_the_chinese_server_error_page():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "服务器出错，页面无法显示" in response.content.decode()


def test_the_bad_request_page_renders_in_chinese_without_a_database():
    with translation.override("zh-hans"):
        html = render_to_string("400.html")
    assert "无法处理此请求" in html
