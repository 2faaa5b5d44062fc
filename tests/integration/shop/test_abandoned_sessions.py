from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order.services import orders_expire_abandoned_online
from tests.factories import UserFactory, certified_product
from tests.integration.shop.support import FakeGateway, basket_for, place

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway():
    FakeGateway.reset()
    yield FakeGateway()
    FakeGateway.reset()


def online_order(gateway, hours_ago):
    buyer = UserFactory()
    product = certified_product(stock=3)
    order = place(buyer, basket_for(buyer, (product, 2)), payment_method="stripe", gateway=gateway).order
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(hours=hours_ago))
    return order, product.stockrecords.get()


def test_an_online_order_abandoned_past_the_session_life_is_cancelled_and_its_stock_released(gateway):
    order, stockrecord = online_order(gateway, hours_ago=26)
    recent, _ = online_order(gateway, hours_ago=2)
    assert orders_expire_abandoned_online(gateway=gateway) == 1
    order.refresh_from_db()
    recent.refresh_from_db()
    stockrecord.refresh_from_db()
    assert order.status == "cancelled" and stockrecord.num_allocated == 0
    assert recent.status == "pending"


def test_an_abandoned_order_whose_session_was_paid_goes_to_review_instead(gateway):
    order, _stockrecord = online_order(gateway, hours_ago=26)
    FakeGateway.token = "tok_sessionPaid"
    assert orders_expire_abandoned_online(gateway=gateway) == 0
    order.refresh_from_db()
    assert order.status == "review"


def test_an_abandoned_order_is_left_for_the_next_run_while_the_gateway_is_away(gateway):
    order, _stockrecord = online_order(gateway, hours_ago=26)
    FakeGateway.token = "tok_gatewayDown"
    assert orders_expire_abandoned_online(gateway=gateway) == 0
    order.refresh_from_db()
    assert order.status == "pending"
