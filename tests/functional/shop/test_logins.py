import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_url_is_the_shop_login_and_not_a_cms_404(client):
    response = client.get("/shop/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))
    assert client.get(response["Location"]).status_code == 200


def test_an_editor_signs_in_to_the_cms_with_email():
    from django.test import Client

    editor = UserFactory(email="editor@example.cn", is_staff=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    response = client.post("/cms/login/", {"username": "editor@example.cn", "password": "pass-word-2020"})
    assert response.status_code == 302
    assert client.get("/cms/").status_code == 200


def test_a_buyer_cannot_open_the_cms_or_the_dashboard(client):
    UserFactory(email="buyer@example.cn", role="buyer")
    client.login(username="buyer@example.cn", password="pass-word-2020")
    assert client.get("/cms/").status_code == 302
    dashboard = client.get("/shop/dashboard/")
    assert dashboard.status_code in (302, 403)


@override_settings(LANGUAGE_CODE="zh-hans")
def test_a_superuser_reaches_the_dashboard_in_chinese(client):
    UserFactory(email="admin@example.cn", is_staff=True, is_superuser=True)
    client.login(username="admin@example.cn", password="pass-word-2020")
    response = client.get("/shop/dashboard/")
    assert response.status_code == 200
    assert "控制面板" in response.content.decode()
