"""Orders that pay, ship, deliver and refund, for the settlement tests."""

from oscar.core.loading import get_model

from shop.order.services import order_mark_paid, shipment_deliver, shipment_ship, transfer_mark_received
from shop.payment.services import refund_confirm, refund_request
from tests.factories import UserFactory
from tests.integration.shop.support import FakeGateway, basket_for, place

Shipment = get_model("order", "Shipment")


def operator():
    return UserFactory(role="operator", is_staff=True)


def transfer_order(buyer, *items, staff=None):
    order = place(buyer, basket_for(buyer, *items)).order
    return transfer_mark_received(order=order, user=staff or operator())


def online_order(buyer, *items):
    order = place(buyer, basket_for(buyer, *items), payment_method="stripe", gateway=FakeGateway()).order
    order, _changed = order_mark_paid(order=order, amount=order.total_incl_tax, reference="pi_test_settlement")
    return order


def cod_order(buyer, *items):
    return place(buyer, basket_for(buyer, *items), payment_method="cod").order


def ship_and_deliver(order, partner, user):
    shipment = Shipment.objects.get(order=order, partner=partner)
    shipment_ship(shipment=shipment, user=user, carrier="顺丰速运", tracking_number="SF1234567890")
    return shipment_deliver(shipment=shipment, user=user)


def refund(order, staff, line=None):
    """A refund asked of the (fake) gateway and confirmed, as its webhook would."""
    requested = refund_request(order=order, line=line, user=staff, gateway=FakeGateway())
    confirmed, _changed = refund_confirm(refund=requested)
    return confirmed
