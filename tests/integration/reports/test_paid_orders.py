from decimal import Decimal

import pytest
from oscar.test.factories import OrderFactory, OrderLineFactory

from reports.models import Channel, PurchaseRecord, Source
from shop.order.signals import unit_order_paid
from tests.factories import UnitFactory, certified_product, region

pytestmark = pytest.mark.django_db


def test_a_paid_unit_order_becomes_purchase_records_once():
    village = region("430822101201", "合群村")
    unit = UnitFactory()
    order = OrderFactory(unit=unit)
    product = certified_product(price="60.00", origin=village)
    stockrecord = product.stockrecords.first()
    line = OrderLineFactory(
        order=order,
        product=product,
        stockrecord=stockrecord,
        partner=stockrecord.partner,
        quantity=3,
        unit_price_incl_tax=Decimal("60.00"),
        line_price_incl_tax=Decimal("180.00"),
    )
    unit_order_paid.send(sender=type(order), order=order)
    unit_order_paid.send(sender=type(order), order=order)
    record = PurchaseRecord.objects.get()
    assert record.order_line == line and record.unit == unit and record.village == village
    assert record.amount == Decimal("180.00") and record.quantity == 3
    assert record.channel == Channel.ONLINE and record.source == Source.ORDER
    assert record.supplier == stockrecord.partner


def test_an_order_for_a_person_makes_no_record():
    order = OrderFactory()
    unit_order_paid.send(sender=type(order), order=order)
    assert not PurchaseRecord.objects.exists()
