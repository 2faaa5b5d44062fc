import time
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from reports.models import PurchaseRecord
from tests.factories import UnitFactory, UserFactory, certified_product
from tests.integration.shop.support import (  # noqa: F401 - stripe_on is a fixture
    STRIPE_SETTINGS,
    FakeGateway,
    basket_for,
    deliver,
    event,
    place,
    session_completed,
    sign,
    stripe_on,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
WebhookEvent = get_model("payment", "WebhookEvent")
Transaction = get_model("payment", "Transaction")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]


@pytest.fixture
def order():
    buyer = UserFactory()
    product = certified_product(price="88.00", stock=10)
    return place(buyer, basket_for(buyer, (product, 2)), payment_method="stripe", gateway=FakeGateway()).order


def test_a_validly_signed_payment_marks_the_order_paid(client, order):
    payload = event("checkout.session.completed", session_completed(order))
    response = deliver(client, payload)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    assert Transaction.objects.get(source__order=order).amount == Decimal("186.00")


def test_a_tampered_body_is_refused_and_nothing_is_stored(client, order):
    payload = event("checkout.session.completed", session_completed(order))
    signature = sign(payload)
    tampered = payload.replace('"paid"', '"paid" ', 1)
    assert deliver(client, tampered, signature).status_code == 400
    assert not WebhookEvent.objects.exists()
    order.refresh_from_db()
    assert order.paid_at is None


def test_a_payload_signed_with_another_secret_is_refused(client, order):
    payload = event("checkout.session.completed", session_completed(order))
    assert deliver(client, payload, sign(payload, secret="whsec_someone_else")).status_code == 400
    assert deliver(client, payload, "").status_code == 400
    order.refresh_from_db()
    assert order.paid_at is None


def test_a_stale_timestamp_is_refused(client, order):
    payload = event("checkout.session.completed", session_completed(order))
    ten_minutes_ago = int(time.time()) - 600
    assert deliver(client, payload, sign(payload, timestamp=ten_minutes_ago)).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_the_same_event_delivered_twice_pays_once(client, order):
    payload = event("checkout.session.completed", session_completed(order), event_id="evt_test_twice")
    assert deliver(client, payload).json()["outcome"] == "paid"
    assert deliver(client, payload).json()["outcome"] == "duplicate"
    assert WebhookEvent.objects.filter(event_id="evt_test_twice").count() == 1
    assert Transaction.objects.filter(source__order=order).count() == 1
    assert order.status_changes.filter(new_status="paid").count() == 1


def test_a_different_amount_is_flagged_for_staff_and_not_paid(client, order):
    payload = event("checkout.session.completed", session_completed(order, amount=100))
    assert deliver(client, payload).json()["outcome"] == "amount mismatch"
    order.refresh_from_db()
    assert order.status == "review" and order.paid_at is None
    assert "1.00" in order.notes.get().message
    assert not Transaction.objects.exists()


def test_a_different_currency_is_flagged_for_staff_and_not_paid(client, order):
    payload = event("checkout.session.completed", session_completed(order, currency="usd"))
    assert deliver(client, payload).json()["outcome"] == "amount mismatch"
    order.refresh_from_db()
    assert order.status == "review" and order.paid_at is None


def test_an_expired_session_cancels_the_order_and_releases_its_stock(client, order):
    stockrecord = StockRecord.objects.get(pk=order.lines.get().stockrecord_id)
    assert stockrecord.num_allocated == 2
    payload = event("checkout.session.expired", {**session_completed(order), "payment_status": "unpaid"})
    assert deliver(client, payload).json()["outcome"] == "cancelled"
    stockrecord.refresh_from_db()
    assert stockrecord.num_allocated == 0
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_a_paid_unit_order_becomes_purchase_records_once(client):
    buyer = UserFactory()
    unit = UnitFactory()
    unit.members.add(buyer)
    product = certified_product(price="50.00")
    order = place(
        buyer,
        basket_for(buyer, (product, 3)),
        unit=unit,
        invoice_title=unit.name,
        invoice_tax_number="11430800MB1234567X",
    ).order
    staff = UserFactory(role="operator", is_staff=True)
    from shop.order.services import transfer_mark_received

    transfer_mark_received(order=order, user=staff)
    transfer_mark_received(order=order, user=staff)
    record = PurchaseRecord.objects.get(order_line__order=order)
    assert record.unit == unit and record.amount == Decimal("150.00")


def test_a_webhook_without_stripe_configured_is_not_found(client, settings, order):
    settings.PAYMENT_GATEWAY = ""
    settings.STRIPE_SECRET_KEY = ""
    payload = event("checkout.session.completed", session_completed(order))
    assert deliver(client, payload).status_code == 404
