"""E-mails name the shop and link to its own address, never Django's default "example.com"."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_carries_the_shop_s_name_and_address_after_every_migrate(settings):
    assert Site.objects.get_current().name == "消费扶贫商城"
    assert Site.objects.get_current().domain == "testserver"  # the test settings' WAGTAILADMIN_BASE_URL
    settings.WAGTAILADMIN_BASE_URL = "https://shop.example.cn"
    call_command("migrate", verbosity=0)
    assert Site.objects.get_current().domain == "shop.example.cn"


def test_a_password_reset_mail_names_the_shop_and_links_to_it(django_capture_on_commit_callbacks, run_tasks):
    UserFactory(email="buyer@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/shop/password-reset/", {"email": "buyer@example.cn"})
    run_tasks()
    assert response.status_code == 302
    [message] = mail.outbox
    assert "消费扶贫商城" in message.subject
    assert "example.com" not in message.subject + message.body
    assert "http://testserver/shop/password-reset/confirm/" in message.body
