import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "pass-word-2020"
LOCKED = "密码错误次数过多，该账号在此处的登录已暂停。请 15 分钟后再试，或重置密码。"


@pytest.fixture(autouse=True)
def _throttling_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LANGUAGE_CODE = "zh-hans"


def shop_login(client, email, password):
    return client.post(
        "/shop/accounts/login/", {"login-username": email, "login-password": password, "login_submit": "1"}
    )


def cms_login(client, email, password):
    return client.post("/cms/login/", {"username": email, "password": password})


def admin_login(client, email, password):
    return client.post("/django-admin/login/", {"username": email, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login", [shop_login, cms_login, admin_login], ids=["shop", "cms", "django-admin"])
def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(login):
    UserFactory(email="clerk@example.cn", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        login(client, "clerk@example.cn", "wrong-password")
    response = login(client, "clerk@example.cn", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_the_lockout_page_is_in_the_sites_layout_with_a_way_to_reset_the_password():
    UserFactory(email="buyer@example.cn")
    client = Client()
    for _ in range(6):
        response = shop_login(client, "buyer@example.cn", "wrong-password")
    html = response.content.decode()
    assert "<title>登录失败次数过多" in html and "消费扶贫商城" in html
    assert 'href="/shop/password-reset/"' in html


def test_a_few_wrong_passwords_still_let_the_owner_in():
    UserFactory(email="buyer@example.cn")
    client = Client()
    for _ in range(3):
        shop_login(client, "buyer@example.cn", "wrong-password")
    assert shop_login(client, "buyer@example.cn", PASSWORD).status_code == 302
    assert signed_in(client)


def test_changing_the_case_of_the_address_does_not_escape_the_count():
    UserFactory(email="buyer@example.cn")
    client = Client()
    for attempt in range(5):
        shop_login(client, "Buyer@Example.cn" if attempt % 2 else "buyer@example.cn", "wrong-password")
    assert shop_login(client, "BUYER@example.cn", PASSWORD).status_code == 429


def test_another_account_is_not_locked_by_someone_elses_failures():
    UserFactory(email="victim@example.cn")
    UserFactory(email="buyer@example.cn")
    client = Client()
    for _ in range(6):
        shop_login(client, "victim@example.cn", "wrong-password")
    assert shop_login(client, "buyer@example.cn", PASSWORD).status_code == 302


def register(client, email, password="Sangzhi-Tea-2020"):
    return client.post(
        "/shop/accounts/register/",
        {"email": email, "password1": password, "password2": password},
    )


def test_registering_a_new_address_says_check_your_mailbox_and_mails_an_activation_link(
    django_capture_on_commit_callbacks, run_tasks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, "new@example.cn")
    run_tasks()
    assert response.status_code == 200
    assert "请查收邮件" in response.content.decode()
    user = User.objects.get(email="new@example.cn")
    assert not user.is_active and not signed_in(client)
    assert [m.to for m in mail.outbox] == [["new@example.cn"]]
    link = re.search(r"http://testserver(/shop/accounts/activate/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.get(link).status_code == 400


def test_registering_a_taken_address_looks_the_same_and_mails_the_owner_instead(
    django_capture_on_commit_callbacks, run_tasks
):
    UserFactory(email="taken@example.cn")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, "Taken@example.cn")
    run_tasks()
    body = response.content.decode()
    assert response.status_code == 200 and "请查收邮件" in body
    assert "already exists" not in body and "已存在" not in body
    assert User.objects.filter(email__iexact="taken@example.cn").count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.cn"]]
    assert "有人尝试用您的邮箱注册" == mail.outbox[0].subject
    assert "http://testserver/shop/password-reset/" in mail.outbox[0].body


def test_the_combined_sign_in_page_does_not_reveal_a_taken_address_either():
    UserFactory(email="taken@example.cn")
    client = Client()
    response = client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "taken@example.cn",
            "registration-password1": "Sangzhi-Tea-2020",
            "registration-password2": "Sangzhi-Tea-2020",
            "registration_submit": "1",
        },
    )
    assert "请查收邮件" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.cn").count() == 1


def test_a_registration_with_a_bad_password_shows_the_chinese_error_and_creates_nothing():
    response = register(Client(), "new@example.cn", password="123")
    assert "密码" in response.content.decode() and "请查收邮件" not in response.content.decode()
    assert not User.objects.filter(email="new@example.cn").exists()
    assert not mail.outbox


def test_signing_out_takes_a_post_and_a_get_changes_nothing(client):
    client.force_login(UserFactory())
    page = client.get("/shop/catalogue/").content.decode()
    assert re.search(r'<form id="logout_form" method="post" action="/shop/accounts/logout/"', page)
    assert client.get("/shop/accounts/logout/").status_code == 405
    assert signed_in(client)
    assert client.post("/shop/accounts/logout/").status_code == 302
    assert not signed_in(client)


def test_sign_out_from_another_site_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post("/shop/accounts/logout/").status_code == 403
    assert signed_in(client)


def test_signing_in_with_an_off_site_next_lands_on_the_site():
    UserFactory(email="buyer@example.cn")
    client = Client()
    response = client.post(
        "/shop/accounts/login/?next=https://evil.example/",
        {
            "login-username": "buyer@example.cn",
            "login-password": PASSWORD,
            "login-redirect_url": "https://evil.example/",
            "login_submit": "1",
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_behind_the_proxy_a_strangers_wrong_passwords_do_not_lock_the_owner_out(settings):
    """nginx connects for everyone: keyed on its address, five wrong passwords from anywhere would lock the owner
    out. The visitor's own address (the one nginx appended) is counted, whatever else the header claims."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="buyer@example.cn")
    stranger = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(5):
        stranger.defaults["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{attempt}, 203.0.113.66"
        shop_login(stranger, "buyer@example.cn", "wrong-password")
    assert shop_login(stranger, "buyer@example.cn", PASSWORD).status_code == 429
    owner = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    shop_login(owner, "buyer@example.cn", PASSWORD)
    assert signed_in(owner)
