from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order.services import OrderError, shipment_deliver, shipment_ship, transfer_mark_received
from shop.order.utils import SoldOut
from shop.shipping.methods import supplier_charges
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_each_supplier_charges_its_own_rate_and_nothing_above_its_threshold():
    cheap = CertifiedPartnerFactory(shipping_rate=Decimal("8.00"), free_shipping_threshold=Decimal("99.00"))
    dear = CertifiedPartnerFactory(shipping_rate=Decimal("15.00"), free_shipping_threshold=None)
    buyer = UserFactory()
    tea = certified_product(partner=cheap, price="50.00")
    pomelo = certified_product(partner=dear, price="30.00")
    charges = {p: c for p, _s, c in supplier_charges(basket_for(buyer, (tea, 1), (pomelo, 1)))}
    assert charges == {cheap: Decimal("8.00"), dear: Decimal("15.00")}
    charges = {p: c for p, _s, c in supplier_charges(basket_for(buyer, (tea, 2), (pomelo, 1)))}
    assert charges == {cheap: Decimal("0.00"), dear: Decimal("15.00")}
    order = place(buyer, basket_for(buyer, (tea, 2), (pomelo, 1))).order
    assert order.shipping_incl_tax == Decimal("15.00")
    assert order.total_incl_tax == Decimal("145.00")
    assert {(s.partner, s.shipping_charge) for s in order.shipments.all()} == {
        (cheap, Decimal("0.00")),
        (dear, Decimal("15.00")),
    }


def test_a_transfer_order_is_placed_then_marked_received_then_paid(
    mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    buyer, staff = UserFactory(), UserFactory(role="operator", is_staff=True)
    supplier_staff = UserFactory(email="shipper@supplier.cn", role="supplier")
    partner = CertifiedPartnerFactory()
    partner.users.add(supplier_staff)
    order = place(buyer, basket_for(buyer, (certified_product(partner=partner), 1))).order
    assert order.status == "pending" and order.transfer_reference.startswith("XF" + order.number)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_mark_received(order=order, user=staff)
    run_tasks()
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at is not None
    assert order.sources.get().amount_debited == order.total_incl_tax
    assert [m.to for m in mailoutbox] == [["shipper@supplier.cn"]]
    assert order.number in mailoutbox[0].subject


def test_only_staff_may_mark_a_transfer_received():
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (certified_product(), 1))).order
    for outsider in (buyer, UserFactory(role="supplier"), UserFactory(role="unit")):
        with pytest.raises(PermissionDenied):
            transfer_mark_received(order=order, user=outsider)
    order.refresh_from_db()
    assert order.paid_at is None and order.status == "pending"


def test_unpaid_transfers_release_their_stock_after_the_configured_days(settings):
    settings.CHECKOUT_TRANSFER_DAYS = 5
    buyer = UserFactory()
    product = certified_product(stock=10)
    old = place(buyer, basket_for(buyer, (product, 3))).order
    recent = place(buyer, basket_for(buyer, (product, 2))).order
    Order.objects.filter(pk=old.pk).update(date_placed=timezone.now() - timedelta(days=6))
    call_command("release_unpaid_orders")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == "cancelled" and recent.status == "pending"
    assert StockRecord.objects.get(product=product).num_allocated == 2


def test_a_basket_larger_than_the_stock_is_refused_with_a_sold_out_message():
    buyer = UserFactory()
    product = certified_product(title="湘西猕猴桃", stock=2)
    place(buyer, basket_for(buyer, (product, 2)))
    with pytest.raises(SoldOut, match="湘西猕猴桃.*售罄"):
        place(UserFactory(), basket_for(UserFactory(), (product, 1)))
    assert Order.objects.count() == 1


def test_the_order_status_follows_its_suppliers_shipments():
    buyer, staff = UserFactory(), UserFactory(is_staff=True, is_superuser=True)
    a, b = CertifiedPartnerFactory(), CertifiedPartnerFactory()
    order = place(buyer, basket_for(buyer, (certified_product(partner=a), 1), (certified_product(partner=b), 1))).order
    transfer_mark_received(order=order, user=staff)
    shipment_a, shipment_b = order.shipments.get(partner=a), order.shipments.get(partner=b)
    shipment_ship(shipment=shipment_a, user=staff, carrier="顺丰速运", tracking_number="SF1234567890")
    order.refresh_from_db()
    assert order.status == "partly_shipped"
    shipment_ship(shipment=shipment_b, user=staff, carrier="中国邮政", tracking_number="9876543210")
    order.refresh_from_db()
    assert order.status == "shipped"
    shipment_deliver(shipment=shipment_a, user=staff)
    order.refresh_from_db()
    assert order.status == "shipped"
    shipment_deliver(shipment=shipment_b, user=staff)
    order.refresh_from_db()
    assert order.status == "delivered"
    assert StockRecord.objects.filter(partner=a).get().num_allocated == 0


def test_an_unpaid_order_cannot_be_shipped_and_a_blank_tracking_number_is_refused():
    buyer, staff = UserFactory(), UserFactory(is_staff=True, is_superuser=True)
    order = place(buyer, basket_for(buyer, (certified_product(), 1))).order
    shipment = order.shipments.get()
    with pytest.raises(OrderError, match="付款后才能发货"):
        shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1")
    transfer_mark_received(order=order, user=staff)
    with pytest.raises(OrderError) as error:
        shipment_ship(shipment=shipment, user=staff, carrier=" ", tracking_number="")
    assert error.value.message_dict == {
        "carrier": ["请填写快递公司，例如顺丰速运。"],
        "tracking_number": ["请填写快递单号。"],
    }
    shipment.refresh_from_db()
    assert shipment.shipped_at is None
