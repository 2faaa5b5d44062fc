from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from oscar.core.loading import get_model

from shop.order.services import OrderError
from shop.payment.services import refund_request
from tests.factories import UserFactory, certified_product
from tests.integration.shop.support import (  # noqa: F401 - stripe_on is a fixture
    STRIPE_SETTINGS,
    FakeGateway,
    basket_for,
    deliver,
    event,
    place,
    session_completed,
    stripe_on,
)

Refund = get_model("payment", "Refund")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]


@pytest.fixture
def paid_order(client):
    buyer = UserFactory()
    tea, bacon = certified_product(price="60.00"), certified_product(price="40.00")
    order = place(buyer, basket_for(buyer, (tea, 1), (bacon, 1)), payment_method="stripe", gateway=FakeGateway()).order
    deliver(client, event("checkout.session.completed", session_completed(order, payment_intent="pi_test_refund")))
    order.refresh_from_db()
    assert order.status == "paid"
    return order


def refund_event(refund, status="succeeded"):
    return event(
        "refund.updated",
        {
            "id": refund.gateway_reference,
            "object": "refund",
            "amount": int(refund.amount * 100),
            "status": status,
            "metadata": {"refund_id": str(refund.pk)},
        },
    )


def test_a_line_refund_goes_to_stripe_and_is_recorded_when_its_webhook_arrives(client, paid_order):
    staff = UserFactory(role="operator", is_staff=True)
    line = paid_order.lines.get(unit_price_incl_tax=Decimal("40.00"))
    refund = refund_request(order=paid_order, line=line, user=staff, gateway=FakeGateway())
    assert FakeGateway.refunds[-1][:2] == ("pi_test_refund", Decimal("40.00"))
    line.refresh_from_db()
    assert refund.status == "requested" and line.status != "refunded"
    payload = refund_event(refund)
    assert deliver(client, payload).json()["outcome"] == "refunded"
    assert deliver(client, payload).json()["outcome"] == "duplicate"
    # Stripe sends refund.created and refund.updated for the same refund: the second one changes nothing.
    assert deliver(client, refund_event(refund)).json()["outcome"] == "already refunded"
    line.refresh_from_db()
    paid_order.refresh_from_db()
    assert line.status == "refunded" and paid_order.status == "paid"
    assert paid_order.sources.get().amount_refunded == Decimal("40.00")


def test_a_full_refund_refunds_what_is_left_and_closes_the_order(client, paid_order):
    staff = UserFactory(role="operator", is_staff=True)
    first = refund_request(order=paid_order, line=paid_order.lines.first(), user=staff, gateway=FakeGateway())
    deliver(client, refund_event(first))
    rest = refund_request(order=paid_order, user=staff, gateway=FakeGateway())
    assert rest.amount == paid_order.total_incl_tax - first.amount
    deliver(client, refund_event(rest))
    paid_order.refresh_from_db()
    assert paid_order.status == "refunded"
    with pytest.raises(OrderError, match="已无可退金额"):
        refund_request(order=paid_order, user=staff, gateway=FakeGateway())


def test_a_line_cannot_be_refunded_twice(paid_order):
    staff = UserFactory(role="operator", is_staff=True)
    line = paid_order.lines.first()
    refund_request(order=paid_order, line=line, user=staff, gateway=FakeGateway())
    with pytest.raises(OrderError, match="已经退款"):
        refund_request(order=paid_order, line=line, user=staff, gateway=FakeGateway())
    assert Refund.objects.count() == 1


def test_only_staff_may_refund(paid_order, client):
    for outsider in (paid_order.user, UserFactory(role="supplier")):
        with pytest.raises(PermissionDenied):
            refund_request(order=paid_order, user=outsider, gateway=FakeGateway())
        client.force_login(outsider)
        response = client.post(f"/shop/dashboard/orders/payments/{paid_order.number}/refund/")
        assert response.status_code == 403
    assert not Refund.objects.exists()


def test_a_refused_refund_is_marked_failed_and_said_so(paid_order):
    FakeGateway.token = "tok_refundFails"
    with pytest.raises(OrderError, match="支付服务拒绝了退款"):
        refund_request(order=paid_order, user=UserFactory(role="operator", is_staff=True), gateway=FakeGateway())
    assert Refund.objects.get().status == "failed"


def test_staff_refund_a_line_from_the_payments_page(client, paid_order):
    client.force_login(UserFactory(role="operator", is_staff=True))
    page = client.get("/shop/dashboard/orders/payments/").content.decode()
    assert paid_order.number in page
    line = paid_order.lines.first()
    response = client.post(
        f"/shop/dashboard/orders/payments/{paid_order.number}/refund/", {"line": line.pk, "reason": "破损"}, follow=True
    )
    assert "退款已提交" in response.content.decode()
    refund = Refund.objects.get()
    assert (refund.line, refund.amount, refund.reason) == (line, line.line_price_incl_tax, "破损")
