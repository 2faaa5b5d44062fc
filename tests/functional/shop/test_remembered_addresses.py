"""Remembered addresses: an address used once is offered at the next checkout, the default one first."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import CertifiedPartnerFactory, certified_product
from tests.functional.shop.test_checkout import add, checkout
from tests.integration.shop.support import ADDRESS

UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    from tests.factories import UserFactory

    user = UserFactory(email="buyer@example.cn")
    client.force_login(user)
    return user


def test_the_address_of_an_order_is_offered_at_the_next_checkout(client, buyer):
    product = certified_product(partner=CertifiedPartnerFactory())
    add(client, product)
    checkout(client, "transfer")
    assert UserAddress.objects.filter(user=buyer, line1=ADDRESS["line1"]).exists()

    add(client, product)
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert ADDRESS["line1"] in page


def test_the_default_address_is_offered_first(client, buyer):
    from shop.address.forms import china

    for street, default in (("澧源镇人民路8号", False), ("吉首市乾州街道世纪大道1号", True)):
        UserAddress.objects.create(
            user=buyer,
            first_name="张三",
            phone_number="+8613800138000",
            state="湖南省",
            line4="张家界市",
            line3="桑植县",
            line1=street,
            country=china(),
            is_default_for_shipping=default,
        )
    add(client, certified_product(partner=CertifiedPartnerFactory()))
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert page.index("吉首市乾州街道世纪大道1号") < page.index("澧源镇人民路8号")
