"""A supplier's list of parcels keeps its filter and page; shipping from it returns there."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from shop.order.services import transfer_mark_received
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:order-fulfilment-list")


@pytest.fixture
def parcels():
    partner = CertifiedPartnerFactory()
    staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(staff)
    product = certified_product(partner=partner, title="桑植白茶")
    buyer = UserFactory(role=roles.BUYER)
    admin = UserFactory(is_superuser=True, is_staff=True)
    orders = []
    for _ in range(2):
        order = place(buyer, basket_for(buyer, (product, 1))).order
        transfer_mark_received(order=order, user=admin)
        orders.append(order)
    client = Client()
    client.force_login(staff)
    return {"client": client, "orders": orders}


def test_parcels_to_ship_are_listed_oldest_first_and_open_with_the_way_back(parcels):
    html = parcels["client"].get(LIST, {"state": "todo"}).content.decode()
    first, second = parcels["orders"]
    assert html.index(first.number) < html.index(second.number)
    assert "?next=/shop/dashboard/orders/fulfilment/%3Fstate%3Dtodo" in html


def test_shipping_returns_to_the_list_the_parcel_was_opened_from(parcels):
    shipment = parcels["orders"][0].shipments.get()
    back = f"{LIST}?state=todo&page=1"
    detail = (
        parcels["client"]
        .get(reverse("dashboard:order-fulfilment-detail", args=[shipment.pk]), {"next": back})
        .content.decode()
    )
    assert 'name="next" value="/shop/dashboard/orders/fulfilment/?state=todo&amp;page=1"' in detail
    response = parcels["client"].post(
        reverse("dashboard:order-fulfilment-ship", args=[shipment.pk]),
        {"carrier": "顺丰速运", "tracking_number": "SF1234567890", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    shipment.refresh_from_db()
    assert shipment.tracking_number == "SF1234567890"


def test_shipping_with_a_return_address_elsewhere_stays_on_the_parcel(parcels):
    shipment = parcels["orders"][0].shipments.get()
    url = reverse("dashboard:order-fulfilment-ship", args=[shipment.pk])
    response = parcels["client"].post(
        url, {"carrier": "顺丰速运", "tracking_number": "SF1234567890", "next": "//evil.example/"}
    )
    assert response["Location"] == reverse("dashboard:order-fulfilment-detail", args=[shipment.pk])
