import threading

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model

from shop.order.utils import SoldOut
from tests.factories import UserFactory, certified_product
from tests.integration.shop.support import STRIPE_SETTINGS, FakeGateway, basket_for, place

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

BUYERS = 20
IN_STOCK = 5


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_buyers_racing_for_five_units_leave_exactly_five_orders_and_no_charge_for_the_rest(settings):
    for key, value in STRIPE_SETTINGS.items():
        setattr(settings, key, value)
    FakeGateway.reset()
    product = certified_product(title="张家界莓茶", stock=IN_STOCK)
    buyers = [UserFactory() for _ in range(BUYERS)]
    baskets = [basket_for(buyer, (product, 1)) for buyer in buyers]
    barrier = threading.Barrier(BUYERS)
    placed, sold_out, errors = [], [], []

    def buy(buyer, basket):
        try:
            barrier.wait()
            placed.append(place(buyer, basket, payment_method="stripe", gateway=FakeGateway()).order.number)
        except SoldOut as error:
            sold_out.append(str(error))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=pair) for pair in zip(buyers, baskets, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(placed) == IN_STOCK
    assert len(sold_out) == BUYERS - IN_STOCK
    assert all("张家界莓茶" in message and "售罄" in message for message in sold_out)
    stockrecord = StockRecord.objects.get(product=product)
    assert stockrecord.num_allocated == IN_STOCK
    assert Order.objects.count() == IN_STOCK
    # Only the buyers who got a unit were sent to pay.
    assert sorted(request.order_number for request, _session in FakeGateway.sessions) == sorted(placed)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_webhook_delivered_twice_at_once_pays_the_order_once(settings):
    from shop.payment.gateway import GatewayEvent
    from shop.payment.webhooks import process_event
    from tests.integration.shop.support import session_completed

    for key, value in STRIPE_SETTINGS.items():
        setattr(settings, key, value)
    buyer = UserFactory()
    order = place(
        buyer, basket_for(buyer, (certified_product(), 1)), payment_method="stripe", gateway=FakeGateway()
    ).order
    event = GatewayEvent(id="evt_test_race", type="checkout.session.completed", data=session_completed(order))
    barrier = threading.Barrier(2)
    outcomes = []

    def receive():
        try:
            barrier.wait()
            outcomes.append(process_event(event))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "paid"]
    order.refresh_from_db()
    assert order.status_changes.filter(new_status="paid").count() == 1
    assert order.sources.get(source_type__code="stripe").transactions.count() == 1
