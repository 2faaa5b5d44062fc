"""A unit order with two suppliers: each supplier's staff see their own part, never the other supplier's.

Supplier A (a tea farm) and supplier B (a honey farm) share one unit order. A's staff must not see B's lines, B's
invoice (number, amount, PDF), the acceptance note and photo that describe B's goods too, or the unit's payment voucher
for the whole order.
"""

from datetime import date

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.invoicing.models import Invoice, UnitOrder, UnitOrderStatus
from shop.order.services import shipment_deliver, shipment_ship
from tests.factories import (
    CertifiedPartnerFactory,
    UnitFactory,
    UserFactory,
    certified_product,
    pdf_upload,
    png_upload,
    region,
)
from tests.integration.shop.support import basket_for, place

Shipment = get_model("order", "Shipment")
pytestmark = pytest.mark.django_db

TAX_NUMBER = "11430800MB1234567X"
NOTE = "蜂蜜两瓶破损，已拒收"


def staff_of(partner):
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    return staff


@pytest.fixture
def member():
    user = UserFactory(role="unit")
    UnitFactory(name="张家界市教育局", region=region("430822000000", "桑植县")).members.add(user)
    return user


@pytest.fixture
def farms():
    return CertifiedPartnerFactory(name="桑植白茶合作社"), CertifiedPartnerFactory(name="慈利蜂蜜合作社")


def deliver(member, *items):
    unit = member.units.get()
    order = place(
        member, basket_for(member, *items), unit=unit, invoice_title=unit.name, invoice_tax_number=TAX_NUMBER
    ).order
    for shipment in Shipment.objects.filter(order=order).select_related("partner"):
        staff = shipment.partner.users.first()
        shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number=f"SF{shipment.pk:010d}")
        shipment_deliver(shipment=shipment, user=staff)
    return UnitOrder.objects.get(order=order)


def issue(client, staff, invoice, number):
    client.force_login(staff)
    client.post(
        reverse("invoicing-dashboard:invoice-issue", args=[invoice.pk]),
        {"number": number, "issued_on": str(date.today()), "amount": str(invoice.amount), "file": pdf_upload()},
        follow=True,  # the confirmation message is read here, not on the next person's page
    )
    invoice.refresh_from_db()
    assert invoice.status == "issued", number


@pytest.fixture
def shared(client, member, farms):
    """A unit order from two suppliers, accepted with a note and a photo, invoiced by both, voucher uploaded."""
    tea_farm, honey_farm = farms
    tea_staff, honey_staff = staff_of(tea_farm), staff_of(honey_farm)
    tea = certified_product(partner=tea_farm, price="60.00", title="桑植白茶")
    honey = certified_product(partner=honey_farm, price="88.80", title="慈利土蜂蜜")
    unit_order = deliver(member, (tea, 10), (honey, 5))
    lines = {line.partner_id: line for line in unit_order.order.lines.all()}
    client.force_login(member)
    client.post(
        reverse("invoicing-dashboard:unit-order-accept", args=[unit_order.pk]),
        {
            f"line_{lines[tea_farm.pk].pk}": 10,
            f"line_{lines[honey_farm.pk].pk}": 3,
            "note": NOTE,
            "photo": png_upload("验收.png"),
        },
        follow=True,
    )
    tea_invoice = Invoice.objects.get(request__order=unit_order.order, partner=tea_farm)
    honey_invoice = Invoice.objects.get(request__order=unit_order.order, partner=honey_farm)
    issue(client, tea_staff, tea_invoice, "TEA-550001")
    issue(client, honey_staff, honey_invoice, "HONEY-770001")
    client.force_login(member)
    client.post(
        reverse("invoicing-dashboard:unit-order-voucher", args=[unit_order.pk]),
        {"voucher": png_upload("回单.png")},
        follow=True,
    )
    unit_order.refresh_from_db()
    assert unit_order.status == UnitOrderStatus.PAYMENT_SUBMITTED and unit_order.acceptance_photo
    return {
        "unit_order": unit_order,
        "tea_staff": tea_staff,
        "honey_staff": honey_staff,
        "tea_invoice": tea_invoice,
        "honey_invoice": honey_invoice,
    }


def yuan(amount):
    return f"{amount:,.2f}"


def test_a_supplier_sees_only_its_own_part_of_a_shared_unit_order(client, shared, django_assert_max_num_queries):
    unit_order, tea_invoice, honey_invoice = shared["unit_order"], shared["tea_invoice"], shared["honey_invoice"]
    assert tea_invoice.amount != honey_invoice.amount
    client.force_login(shared["tea_staff"])
    with django_assert_max_num_queries(25):
        page = client.get(reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])).content.decode()
    # Its own line, invoice and amount ...
    assert "桑植白茶" in page and "TEA-550001" in page and yuan(tea_invoice.amount) in page
    assert reverse("invoicing:file", args=[tea_invoice.pk]) in page
    # ... and nothing of the other supplier's, nor the whole order's amount, note, photo or voucher.
    for absent in (
        "慈利土蜂蜜",
        "慈利蜂蜜合作社",
        "HONEY-770001",
        yuan(honey_invoice.amount),
        yuan(unit_order.accepted_amount),
        NOTE,
        reverse("invoicing:file", args=[honey_invoice.pk]),
        reverse("invoicing-dashboard:unit-order-file", args=[unit_order.pk, "acceptance_photo"]),
        reverse("invoicing-dashboard:unit-order-file", args=[unit_order.pk, "voucher"]),
        shared["honey_staff"].email,
    ):
        assert absent not in page, absent
    listing = client.get(reverse("invoicing-dashboard:unit-order-list")).content.decode()
    assert unit_order.order.number in listing and yuan(tea_invoice.amount) in listing
    assert yuan(unit_order.accepted_amount) not in listing


def test_the_other_suppliers_files_are_not_found(client, shared):
    unit_order, honey_invoice = shared["unit_order"], shared["honey_invoice"]
    client.force_login(shared["tea_staff"])
    assert client.get(reverse("invoicing:file", args=[honey_invoice.pk])).status_code == 404
    for field in ("acceptance_photo", "voucher"):
        url = reverse("invoicing-dashboard:unit-order-file", args=[unit_order.pk, field])
        assert client.get(url).status_code == 404, field
    # Its own invoice it still downloads.
    assert client.get(reverse("invoicing:file", args=[shared["tea_invoice"].pk])).status_code == 200
    # And it cannot confirm the unit's payment for the whole order.
    assert client.post(reverse("invoicing-dashboard:unit-order-confirm", args=[unit_order.pk])).status_code == 403
    unit_order.refresh_from_db()
    assert unit_order.status == UnitOrderStatus.PAYMENT_SUBMITTED


def test_the_other_supplier_sees_its_own_part_the_same_way(client, shared):
    unit_order = shared["unit_order"]
    client.force_login(shared["honey_staff"])
    page = client.get(reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])).content.decode()
    assert "慈利土蜂蜜" in page and "HONEY-770001" in page and yuan(shared["honey_invoice"].amount) in page
    assert "桑植白茶" not in page and "TEA-550001" not in page and NOTE not in page
    assert client.get(reverse("invoicing:file", args=[shared["tea_invoice"].pk])).status_code == 404


def test_the_unit_and_the_operator_see_the_whole_order(client, member, shared):
    unit_order = shared["unit_order"]
    for person in (member, UserFactory(role="operator", is_staff=True)):
        client.force_login(person)
        page = client.get(reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])).content.decode()
        assert "TEA-550001" in page and "HONEY-770001" in page and NOTE in page
        assert yuan(unit_order.accepted_amount) in page
        for field in ("acceptance_photo", "voucher"):
            url = reverse("invoicing-dashboard:unit-order-file", args=[unit_order.pk, field])
            assert client.get(url).status_code == 200, (person, field)


def test_the_only_supplier_of_an_order_still_sees_its_acceptance_and_voucher(client, member, farms):
    tea_farm, _honey_farm = farms
    tea_staff = staff_of(tea_farm)
    unit_order = deliver(member, (certified_product(partner=tea_farm, price="60.00", title="桑植白茶"), 4))
    client.force_login(member)
    client.post(
        reverse("invoicing-dashboard:unit-order-accept", args=[unit_order.pk]),
        {"note": "货已收齐", "photo": png_upload("验收.png")},
        follow=True,
    )
    client.force_login(tea_staff)
    page = client.get(reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])).content.decode()
    assert "货已收齐" in page
    url = reverse("invoicing-dashboard:unit-order-file", args=[unit_order.pk, "acceptance_photo"])
    assert url in page and client.get(url).status_code == 200
