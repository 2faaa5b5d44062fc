import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from oscar.core.loading import get_model

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from regions.models import Region

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")


def _counts():
    return {
        "regions": Region.objects.count(),
        "products": Product.objects.count(),
        "images": get_model("catalogue", "ProductImage").objects.count(),
        "partners": get_model("partner", "Partner").objects.count(),
    }


def test_demo_data_loads_once_and_a_second_run_changes_nothing():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    first = _counts()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert _counts() == first
    assert first["products"] >= 40
    assert first["images"] == first["products"]
    assert first["partners"] >= 12
    assert Product.objects.filter(title__contains="桑植白茶").exists()
    assert Region.objects.filter(code="433125000000", name="保靖县").exists()


def test_every_demo_account_signs_in_with_the_demo_password():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    for email, (role, _name, _region) in DEMO_ACCOUNTS.items():
        user = authenticate(username=email, password=DEMO_PASSWORD)
        assert user is not None, email
        if role:
            assert user.groups.filter(name=role).exists(), email


def test_the_demo_editor_reaches_the_cms_and_the_demo_admin_the_dashboard(client):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert client.login(username="editor@demo.cn", password=DEMO_PASSWORD)
    assert client.get("/cms/").status_code == 200
    client.logout()
    assert client.login(username="admin@demo.cn", password=DEMO_PASSWORD)
    assert client.get("/shop/dashboard/").status_code == 200


def test_the_demo_editor_and_moderator_can_do_nothing_in_the_shop_back_office_and_the_operator_takes_payments(client):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    for email in ("editor@demo.cn", "moderator@demo.cn"):
        assert client.login(username=email, password=DEMO_PASSWORD)
        assert client.get("/shop/dashboard/").status_code == 403
        assert client.get("/shop/dashboard/orders/payments/").status_code == 403
        assert client.get("/cms/").status_code == 200
        client.logout()
    assert client.login(username="operator@demo.cn", password=DEMO_PASSWORD)
    assert client.get("/shop/dashboard/orders/payments/").status_code == 200
    assert client.get("/cms/").status_code == 302
