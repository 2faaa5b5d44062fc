from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from settlement.models import LedgerEntry
from settlement.services import statements_for_period
from shop.invoicing.models import UnitOrder
from shop.order.services import shipment_deliver, shipment_ship
from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, certified_product, region
from tests.integration.shop.support import basket_for, place

Shipment = get_model("order", "Shipment")
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    member = UserFactory(role="unit")
    unit = UnitFactory(name="桑植县人民医院", region=region("430822000000", "桑植县"))
    unit.members.add(member)
    order = place(
        member,
        basket_for(member, (certified_product(partner=partner, price="60.00"), 2)),
        unit=unit,
        invoice_title=unit.name,
        invoice_tax_number="11430800MB1234567X",
    ).order
    shipment = Shipment.objects.get(order=order)
    shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1")
    shipment_deliver(shipment=shipment, user=staff)
    LedgerEntry.objects.create(
        partner=partner,
        kind="goods",
        amount=Decimal("120.00"),
        order=order,
        source="test:todo",
        occurred_at=datetime(2026, 3, 3, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    return {"staff": staff, "member": member, "unit_order": UnitOrder.objects.get(order=order)}


def count(page, card_id):
    start = page.index(f'id="{card_id}"')
    badge = page.index("todo-count", start)
    return int(page[page.index(">", badge) + 1 : page.index("</span>", badge)])


def test_the_supplier_sees_its_statement_and_the_invoice_to_issue(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("dashboard:index")).content.decode()
    assert count(page, "todo-statements-ready") == 1
    assert count(page, "todo-invoices-to-issue") == 1


def test_the_unit_sees_its_order_to_accept(client, world):
    client.force_login(world["member"])
    page = client.get(reverse("dashboard:index")).content.decode()
    assert count(page, "todo-to-accept") == 1 and count(page, "todo-overdue") == 0


def test_the_operator_sees_the_statement_to_pay(client, world):
    client.force_login(UserFactory(role="operator", is_staff=True))
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "桑植白茶合作社" in page[page.index('id="todo-statements"') :]


def test_the_county_sees_overdue_payments(client, world):
    member = world["member"]
    client.force_login(member)
    client.post(reverse("invoicing-dashboard:unit-order-accept", args=[world["unit_order"].pk]), {"note": "货已收齐"})
    UnitOrder.objects.filter(pk=world["unit_order"].pk).update(payment_due_on=date(2026, 1, 1))
    client.force_login(UserFactory(role="county", region=region("430822000000")))
    page = client.get(reverse("dashboard:index")).content.decode()
    assert count(page, "todo-overdue-payments") == 1
