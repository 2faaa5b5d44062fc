from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.invoicing.models import Invoice, UnitOrder, UnitOrderStatus
from shop.invoicing.selectors import overdue_by_unit, overdue_unit_orders
from shop.invoicing.services import InvoiceError, unit_order_submit_payment
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


@pytest.fixture
def tea_farm():
    return CertifiedPartnerFactory(name="桑植白茶合作社")


@pytest.fixture
def tea_staff(tea_farm):
    staff = UserFactory(role="supplier")
    tea_farm.users.add(staff)
    return staff


@pytest.fixture
def member():
    return UserFactory(role="unit")


@pytest.fixture
def unit(member):
    unit = UnitFactory(name="张家界市教育局", region=region("430822000000", "桑植县"))
    unit.members.add(member)
    return unit


@pytest.fixture
def delivered(member, unit, tea_farm, tea_staff):
    """A unit's order on account, shipped before payment and delivered: it waits for acceptance."""
    tea = certified_product(partner=tea_farm, price="60.00", title="桑植白茶")
    rice = certified_product(partner=tea_farm, price="3.50", title="桑植大米", stock=1000)
    order = place(
        member,
        basket_for(member, (tea, 10), (rice, 100)),
        unit=unit,
        invoice_title=unit.name,
        invoice_tax_number=TAX_NUMBER,
    ).order
    assert order.paid_at is None
    shipment = Shipment.objects.get(order=order)
    shipment_ship(shipment=shipment, user=tea_staff, carrier="顺丰速运", tracking_number="SF1234567890")
    shipment_deliver(shipment=shipment, user=tea_staff)
    return UnitOrder.objects.get(order=order)


def detail(unit_order):
    return reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])


def accept(client, unit_order, **data):
    return client.post(reverse("invoicing-dashboard:unit-order-accept", args=[unit_order.pk]), data, follow=True)


def test_a_delivered_unit_order_waits_for_acceptance_on_the_units_page(client, member, delivered):
    assert delivered.status == UnitOrderStatus.AWAITING_ACCEPTANCE
    client.force_login(member)
    page = client.get(detail(delivered)).content.decode()
    assert "待验收" in page and "记录验收" in page


def test_the_whole_flow_acceptance_invoice_voucher_confirmation(client, member, delivered, tea_staff, tea_farm):
    order = delivered.order
    lines = {line.title: line for line in order.lines.all()}
    client.force_login(member)
    # Partial acceptance: 8 of 10 boxes of tea came in good order.
    accept(
        client,
        delivered,
        **{f"line_{lines['桑植白茶'].pk}": 8, f"line_{lines['桑植大米'].pk}": 100, "note": "两盒破损，已拒收"},
    )
    delivered.refresh_from_db()
    shipping = Shipment.objects.get(order=order).shipping_charge
    expected = Decimal("480.00") + Decimal("350.00") + shipping
    assert delivered.status == UnitOrderStatus.ACCEPTED and delivered.accepted_amount == expected
    assert delivered.payment_due_on == date.today() + timedelta(days=30)
    invoice = Invoice.objects.get(request__order=order)
    assert invoice.amount == expected

    client.force_login(tea_staff)
    issue_url = reverse("invoicing-dashboard:invoice-issue", args=[invoice.pk])
    wrong = client.post(
        issue_url,
        {"number": "04300012", "issued_on": str(date.today()), "amount": "1000.00", "file": pdf_upload("发票.pdf")},
        follow=True,
    ).content.decode()
    assert "发票金额必须等于验收金额" in wrong
    invoice.refresh_from_db()
    assert invoice.status == "requested"
    right = client.post(
        issue_url,
        {"number": "04300012", "issued_on": str(date.today()), "amount": str(expected), "file": pdf_upload("发票.pdf")},
        follow=True,
    ).content.decode()
    assert "发票 04300012 已登记" in right, right[right.find("alert") : right.find("alert") + 400]
    delivered.refresh_from_db()
    assert delivered.status == UnitOrderStatus.INVOICED

    client.force_login(member)
    assert client.get(reverse("invoicing:file", args=[invoice.pk])).status_code == 200
    client.post(
        reverse("invoicing-dashboard:unit-order-voucher", args=[delivered.pk]), {"voucher": png_upload("回单.png")}
    )
    delivered.refresh_from_db()
    assert delivered.status == UnitOrderStatus.PAYMENT_SUBMITTED and delivered.voucher
    # The unit cannot confirm its own payment.
    assert client.post(reverse("invoicing-dashboard:unit-order-confirm", args=[delivered.pk])).status_code == 403

    operator = UserFactory(role="operator", is_staff=True)
    client.force_login(operator)
    assert client.get(reverse("invoicing-dashboard:unit-order-file", args=[delivered.pk, "voucher"])).status_code == 200
    client.post(reverse("invoicing-dashboard:unit-order-confirm", args=[delivered.pk]))
    delivered.refresh_from_db()
    order.refresh_from_db()
    assert delivered.status == UnitOrderStatus.SETTLED and order.paid_at is not None
    assert [change.new_status for change in delivered.status_changes.all()] == [
        "accepted",
        "invoiced",
        "payment_submitted",
        "settled",
    ]


def test_acceptance_needs_a_note_or_a_photo_and_sane_quantities(client, member, delivered):
    line = delivered.order.lines.first()
    client.force_login(member)
    page = accept(client, delivered, **{f"line_{line.pk}": line.quantity + 1}).content.decode()
    assert "请填写验收说明或上传照片" in page and "之间的实收数量" in page
    delivered.refresh_from_db()
    assert delivered.status == UnitOrderStatus.AWAITING_ACCEPTANCE and not delivered.accepted_lines.exists()


def test_illegal_moves_are_refused(client, member, delivered):
    with pytest.raises(InvoiceError, match="所有发票"):
        unit_order_submit_payment(unit_order=delivered, user=member, voucher=png_upload())
    client.force_login(member)
    accept(client, delivered, note="货已收齐")
    page = accept(client, delivered, note="再验一次").content.decode()
    assert "已验收" in page
    delivered.refresh_from_db()
    assert delivered.status_changes.count() == 1


def test_another_unit_cannot_see_or_accept_the_order(client, delivered):
    outsider = UserFactory(role="unit")
    UnitFactory(name="慈利县人民医院").members.add(outsider)
    client.force_login(outsider)
    assert client.get(detail(delivered)).status_code == 404
    assert accept(client, delivered, note="冒名验收").status_code == 404
    delivered.refresh_from_db()
    assert delivered.status == UnitOrderStatus.AWAITING_ACCEPTANCE


def test_an_accepted_order_unpaid_after_the_deadline_is_overdue_for_the_unit_and_its_office(
    client, member, unit, delivered, settings
):
    client.force_login(member)
    accept(client, delivered, note="货已收齐")
    delivered.refresh_from_db()
    later = delivered.payment_due_on + timedelta(days=1)
    assert list(overdue_unit_orders(today=delivered.payment_due_on)) == []
    assert list(overdue_unit_orders(units=[unit], today=later)) == [delivered]
    assert list(overdue_unit_orders(units=[UnitFactory()], today=later)) == []
    (row,) = overdue_by_unit(region=region("430822000000"), today=later)
    assert row["unit__name"] == "张家界市教育局" and row["orders"] == 1 and row["amount"] == delivered.accepted_amount
    assert list(overdue_by_unit(region=region("433100000000"), today=later)) == []


def test_the_county_sees_overdue_payments_and_a_unit_does_not(client, member, delivered):
    county = UserFactory(role="county", region=region("430822000000", "桑植县"))
    client.force_login(county)
    assert client.get(reverse("invoicing-dashboard:overdue-payments")).status_code == 200
    client.force_login(member)
    assert client.get(reverse("invoicing-dashboard:overdue-payments")).status_code == 403


def test_an_overdue_order_is_raised_once_by_mail_to_the_unit_and_its_offices(
    client, member, delivered, django_capture_on_commit_callbacks, run_tasks
):
    from django.core import mail

    from shop.invoicing.services import unit_orders_overdue_notify

    county = UserFactory(role="county", region=region("430822000000"))
    other_county = UserFactory(role="county", region=region("433101000000"))
    client.force_login(member)
    accept(client, delivered, note="货已收齐")
    delivered.refresh_from_db()
    later = delivered.payment_due_on + timedelta(days=1)
    assert unit_orders_overdue_notify(today=delivered.payment_due_on) == 0
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert unit_orders_overdue_notify(today=later) == 1
    run_tasks()
    (sent,) = mail.outbox
    assert set(sent.to) == {member.email, county.email} and other_county.email not in sent.to
    assert "逾期" in sent.subject and delivered.order.number in sent.subject
    assert unit_orders_overdue_notify(today=later) == 0


def test_the_bulletin_names_a_unit_with_an_overdue_payment_for_what_it_owes(client, member, unit, delivered):
    from procurement import bulletins

    client.force_login(member)
    tea_line = delivered.order.lines.get(title="桑植白茶")
    rice_line = delivered.order.lines.get(title="桑植大米")
    accept(client, delivered, **{f"line_{tea_line.pk}": 6, f"line_{rice_line.pk}": 100}, note="四盒破损")
    delivered.refresh_from_db()
    assert delivered.accepted_amount < delivered.order.total_incl_tax
    later = delivered.payment_due_on + timedelta(days=1)
    assert bulletins.overdue_payments(units=[unit], today=delivered.payment_due_on) == []
    assert bulletins.overdue_payments(units=[unit], today=later) == [
        {"unit_id": unit.pk, "orders": 1, "amount": delivered.accepted_amount}
    ]
