from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shop.invoicing.models import Invoice, InvoiceRequest, InvoiceStatus
from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, certified_product, pdf_upload, png_upload
from tests.integration.settlement.support import transfer_order
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db

# A unified social credit code with a correct check character (GB 32100-2015).
COMPANY_CODE = "91430800MA4L0XXXXX"


@pytest.fixture
def tea_farm():
    return CertifiedPartnerFactory(name="桑植白茶合作社")


@pytest.fixture
def bacon_farm():
    return CertifiedPartnerFactory(name="湘西腊肉厂")


@pytest.fixture
def buyer():
    return UserFactory(role="buyer")


@pytest.fixture
def order(buyer, tea_farm, bacon_farm):
    tea = certified_product(partner=tea_farm, price="60.00", title="桑植白茶")
    bacon = certified_product(partner=bacon_farm, price="45.50", title="湘西腊肉")
    return transfer_order(buyer, (tea, 2), (bacon, 1))


def staff_of(partner):
    user = UserFactory(role="supplier")
    partner.users.add(user)
    return user


def request_invoice(client, order, **data):
    return client.post(reverse("invoicing:request", kwargs={"number": order.number}), data)


def test_a_person_asks_for_an_invoice_and_each_supplier_gets_its_own(client, buyer, order, tea_farm, bacon_farm):
    client.force_login(buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "申请开票" in page
    response = request_invoice(client, order, title_kind="person", title="李爱心", tax_number="", email="")
    assert response.status_code == 302
    invoice_request = InvoiceRequest.objects.get(order=order)
    assert (invoice_request.title_kind, invoice_request.title, invoice_request.tax_number) == ("person", "李爱心", "")
    invoices = {invoice.partner: invoice for invoice in invoice_request.invoices.all()}
    shipping = {s.partner: s.shipping_charge for s in order.shipments.all()}
    assert invoices[tea_farm].amount == Decimal("120.00") + shipping[tea_farm]
    assert invoices[bacon_farm].amount == Decimal("45.50") + shipping[bacon_farm]
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "李爱心" in page and "供应商正在开具" in page


def test_a_company_needs_a_valid_taxpayer_number(client, buyer, order):
    client.force_login(buyer)
    response = request_invoice(client, order, title_kind="company", title="张家界市某某有限公司", tax_number="12345")
    assert "15、18 或 20 位" in response.content.decode()
    response = request_invoice(
        client, order, title_kind="company", title="张家界市某某有限公司", tax_number="91430800MA4L0XXXX0"
    )
    assert "校验" in response.content.decode()
    assert not InvoiceRequest.objects.exists()


def test_a_company_title_with_its_credit_code_is_accepted(client, buyer, order):
    from suppliers.credit_code import check_character

    code = "91430800MA4L0ABC1" + check_character("91430800MA4L0ABC1")
    client.force_login(buyer)
    request_invoice(client, order, title_kind="company", title="张家界市某某有限公司", tax_number=code.lower())
    assert InvoiceRequest.objects.get(order=order).tax_number == code


def test_an_unpaid_order_cannot_have_an_invoice_yet(client, buyer, tea_farm):
    unpaid = place(buyer, basket_for(buyer, (certified_product(partner=tea_farm), 1))).order
    client.force_login(buyer)
    response = request_invoice(client, unpaid, title_kind="person", title="李爱心")
    assert "付款后" in response.content.decode()
    assert not InvoiceRequest.objects.exists()


def test_a_completed_order_may_still_ask_for_an_invoice(client, buyer, order, tea_farm, bacon_farm):
    from shop.order.services import order_confirm_receipt, shipment_ship

    for shipment in order.shipments.all():
        shipment_ship(shipment=shipment, user=staff_of(shipment.partner), carrier="顺丰", tracking_number="SF1")
    order_confirm_receipt(order=order, user=buyer)
    order.refresh_from_db()
    assert order.status == "received"
    client.force_login(buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "申请开票" in page
    assert request_invoice(client, order, title_kind="person", title="李爱心").status_code == 302
    assert InvoiceRequest.objects.get(order=order).invoices.count() == 2


def test_another_buyer_cannot_ask_for_an_invoice_for_someone_elses_order(client, order):
    client.force_login(UserFactory(role="buyer"))
    assert request_invoice(client, order, title_kind="person", title="冒名").status_code == 404
    assert not InvoiceRequest.objects.exists()


def _requested(client, buyer, order):
    client.force_login(buyer)
    request_invoice(client, order, title_kind="person", title="李爱心")
    client.logout()
    return InvoiceRequest.objects.get(order=order)


def issue(client, invoice, **data):
    return client.post(reverse("invoicing-dashboard:invoice-issue", args=[invoice.pk]), data, follow=True)


def test_the_supplier_uploads_the_pdf_and_the_buyer_downloads_it(
    client, buyer, order, tea_farm, django_capture_on_commit_callbacks, run_tasks
):
    invoice = _requested(client, buyer, order).invoices.get(partner=tea_farm)
    client.force_login(staff_of(tea_farm))
    listing = client.get(reverse("invoicing-dashboard:invoice-list")).content.decode()
    assert order.number in listing and "湘西腊肉厂" not in listing
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = issue(client, invoice, number="04300012", issued_on=str(date.today()), file=pdf_upload("发票.pdf"))
    run_tasks()
    assert "04300012" in response.content.decode()
    (sent,) = [message for message in mail.outbox if buyer.email in message.to]
    assert "04300012" in sent.subject and "发票" in sent.subject
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.file
    client.force_login(buyer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert reverse("invoicing:file", args=[invoice.pk]) in page
    download = client.get(reverse("invoicing:file", args=[invoice.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_file_that_is_not_a_pdf_is_refused(client, buyer, order, tea_farm):
    invoice = _requested(client, buyer, order).invoices.get(partner=tea_farm)
    client.force_login(staff_of(tea_farm))
    fake = SimpleUploadedFile("发票.pdf", png_upload().read(), content_type="application/pdf")
    response = issue(client, invoice, number="04300012", issued_on=str(date.today()), file=fake)
    assert "PDF" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED and not invoice.file


def test_a_paper_invoice_is_marked_sent(client, buyer, order, bacon_farm):
    invoice = _requested(client, buyer, order).invoices.get(partner=bacon_farm)
    client.force_login(staff_of(bacon_farm))
    issue(client, invoice, action="sent", number="04300099", issued_on=str(date.today()), sent_note="顺丰 SF1234567890")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT and invoice.sent_note == "顺丰 SF1234567890"
    assert invoice.status_changes.get().new_status == InvoiceStatus.SENT


def test_a_supplier_cannot_issue_or_download_another_suppliers_invoice(client, buyer, order, tea_farm, bacon_farm):
    invoice = _requested(client, buyer, order).invoices.get(partner=tea_farm)
    client.force_login(staff_of(bacon_farm))
    response = client.post(
        reverse("invoicing-dashboard:invoice-issue", args=[invoice.pk]),
        {"number": "X1", "issued_on": str(date.today()), "file": pdf_upload()},
    )
    assert response.status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED
    assert client.get(reverse("invoicing:file", args=[invoice.pk])).status_code == 404


def test_another_buyer_cannot_download_the_invoice(client, buyer, order, tea_farm):
    invoice = _requested(client, buyer, order).invoices.get(partner=tea_farm)
    client.force_login(staff_of(tea_farm))
    issue(client, invoice, number="04300012", issued_on=str(date.today()), file=pdf_upload())
    client.force_login(UserFactory(role="buyer"))
    assert client.get(reverse("invoicing:file", args=[invoice.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("invoicing:file", args=[invoice.pk])).status_code == 302


@pytest.mark.parametrize("role", ["buyer", "unit", "county"])
def test_the_invoice_list_is_refused_to_other_roles(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("invoicing-dashboard:invoice-list")).status_code == 403


def test_a_unit_order_requests_its_invoice_at_checkout(tea_farm):
    member = UserFactory(role="unit")
    unit = UnitFactory()
    unit.members.add(member)
    product = certified_product(partner=tea_farm, price="60.00")
    order = place(
        member, basket_for(member, (product, 1)), unit=unit, invoice_title=unit.name, invoice_tax_number=COMPANY_CODE
    ).order
    invoice_request = InvoiceRequest.objects.get(order=order)
    assert invoice_request.title == unit.name and invoice_request.title_kind == "company"
    assert Invoice.objects.filter(request=invoice_request, partner=tea_farm).exists()


def _requested_at_checkout(buyer, order):
    from shop.invoicing.services import invoice_request_at_checkout

    return invoice_request_at_checkout(order=order, user=buyer, title_kind="person", title="李爱心")


@pytest.mark.parametrize("cancelled", [False, True], ids=["unpaid", "cancelled"])
def test_a_supplier_cannot_issue_the_invoice_of_an_order_not_paid(client, buyer, tea_farm, cancelled):
    from shop.order.services import order_cancel_unpaid

    order = place(buyer, basket_for(buyer, (certified_product(partner=tea_farm, price="60.00"), 1))).order
    invoice = _requested_at_checkout(buyer, order).invoices.get()
    if cancelled:
        order_cancel_unpaid(order=order, reason="买家取消")
    client.force_login(staff_of(tea_farm))
    response = issue(client, invoice, number="04300012", issued_on=str(date.today()), file=pdf_upload())
    assert "付款后才能开具发票" in response.content.decode()
    response = issue(client, invoice, action="sent", number="04300013", issued_on=str(date.today()), sent_note="邮寄")
    assert "付款后才能开具发票" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED and not invoice.file and not invoice.number


def test_a_buyer_who_confirmed_receipt_can_still_ask_for_an_invoice(client, buyer, tea_farm):
    from shop.order.services import order_confirm_receipt, shipment_ship

    order = transfer_order(buyer, (certified_product(partner=tea_farm, price="60.00"), 1))
    shipment_ship(shipment=order.shipments.get(), user=staff_of(tea_farm), carrier="顺丰速运", tracking_number="SF1")
    order.refresh_from_db()
    order = order_confirm_receipt(order=order, user=buyer) or order
    order.refresh_from_db()
    assert order.status == "received"
    client.force_login(buyer)
    assert request_invoice(client, order, title_kind="person", title="李爱心").status_code == 302
    assert InvoiceRequest.objects.filter(order=order).exists()


def test_an_invoice_number_with_a_line_break_is_refused_so_the_buyers_mail_can_be_sent(client, buyer, order, tea_farm):
    invoice = _requested(client, buyer, order).invoices.get(partner=tea_farm)
    client.force_login(staff_of(tea_farm))
    response = issue(
        client,
        invoice,
        action="sent",
        number="0430\nBcc: all@example.cn",
        issued_on=str(date.today()),
        sent_note="邮寄",
    )
    assert "发票号码只能包含数字、字母和连字符" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED and not invoice.number
