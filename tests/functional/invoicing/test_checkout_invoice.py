"""A buyer asks for an invoice (需要发票) while checking out, not only after the order is paid."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.invoicing.models import InvoiceRequest
from shop.invoicing.services import InvoiceError
from suppliers.credit_code import check_character
from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, certified_product
from tests.integration.shop.support import ADDRESS, basket_for, place

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db

# A unified social credit code with a correct check character (GB 32100-2015).
COMPANY_CODE = "91430800MA4L0ABC1" + check_character("91430800MA4L0ABC1")


@pytest.fixture
def buyer(client):
    user = UserFactory(role="buyer", email="buyer@example.cn")
    client.force_login(user)
    return user


def to_payment_method(client, *products):
    for product in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    client.get(reverse("checkout:shipping-method"))
    return client.get(reverse("checkout:payment-method"))


def choose(client, **invoice):
    data = {"method": "transfer", **{f"invoice-{key}": value for key, value in invoice.items()}}
    return client.post(reverse("checkout:payment-method"), data)


def place_order(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def test_the_payment_step_offers_no_invoice_first_then_a_person_or_a_company(client, buyer):
    page = to_payment_method(client, certified_product()).content.decode()
    section = page[
        page.index('<fieldset id="buyer-invoice"') : page.index("</fieldset>", page.index('id="buyer-invoice"'))
    ]
    assert "<legend>发票</legend>" in section
    radios = re.findall(r'<input type="radio" name="invoice-title_kind" value="(\w*)"([^>]*)>', section)
    assert [(value, " checked" in rest) for value, rest in radios] == [
        ("", True),
        ("person", False),
        ("company", False),
    ]
    assert [label.strip() for label in re.findall(r"<span>([^<]+)</span>", section)] == ["不开发票", "个人", "单位"]
    # The details come after the choice, inside the same fieldset, and the page reads in Chinese only.
    assert section.index("invoice-title_kind") < section.index("发票抬头") < section.index("纳税人识别号")
    assert not any(english in page for english in ("Invoice", "Individual", "Company or organisation", "Optional"))


def test_a_refused_company_invoice_comes_back_with_company_still_chosen(client, buyer):
    to_payment_method(client, certified_product())
    response = choose(client, title_kind="company", title="某某有限公司", tax_number="12345")
    section = response.content.decode().split('id="buyer-invoice"')[1]
    assert re.search(r'value="company" id="[\w-]+" checked', section)
    assert not re.search(r'value="" id="[\w-]+" checked', section)


def test_a_person_asks_for_an_invoice_at_checkout_and_each_supplier_gets_its_own(client, buyer):
    tea_farm = CertifiedPartnerFactory(name="桑植白茶合作社")
    bacon_farm = CertifiedPartnerFactory(name="湘西腊肉厂")
    to_payment_method(client, certified_product(partner=tea_farm), certified_product(partner=bacon_farm))
    response = choose(client, title_kind="person", title="刘女士", email="fapiao@example.cn")
    assert response.url == reverse("checkout:preview")
    preview = client.get(reverse("checkout:preview")).content.decode()
    assert "刘女士" in preview
    assert place_order(client).url == reverse("checkout:thank-you")
    order = Order.objects.get(user=buyer)
    request = InvoiceRequest.objects.get(order=order)
    assert (request.title_kind, request.title, request.tax_number, request.email) == (
        "person",
        "刘女士",
        "",
        "fapiao@example.cn",
    )
    assert request.requested_by == buyer
    assert {invoice.partner for invoice in request.invoices.all()} == {tea_farm, bacon_farm}
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "刘女士" in page


def test_a_company_invoice_at_checkout_carries_its_taxpayer_number(client, buyer):
    to_payment_method(client, certified_product())
    response = choose(client, title_kind="company", title="张家界市某某有限公司", tax_number=COMPANY_CODE.lower())
    assert response.status_code == 302, response.context["invoice_form"].errors
    place_order(client)
    request = InvoiceRequest.objects.get(order__user=buyer)
    assert (request.title_kind, request.title, request.tax_number) == ("company", "张家界市某某有限公司", COMPANY_CODE)


def test_a_company_without_a_valid_taxpayer_number_is_refused_in_chinese_and_nothing_is_placed(client, buyer):
    to_payment_method(client, certified_product())
    response = choose(client, title_kind="company", title="张家界市某某有限公司", tax_number="12345")
    assert response.status_code == 200
    errors = response.context["invoice_form"].errors
    assert "15" in errors["tax_number"][0] and "纳税人" not in errors.get("title", [""])[0]
    assert errors["tax_number"][0] in response.content.decode()
    # A wrong check character in an 18-character credit code is refused too, as after the order.
    response = choose(
        client,
        title_kind="company",
        title="某某有限公司",
        tax_number=COMPANY_CODE[:-1] + ("0" if COMPANY_CODE[-1] != "0" else "1"),
    )
    assert "校验" in response.context["invoice_form"].errors["tax_number"][0]
    # Nothing was chosen, so the preview sends the buyer back, and nothing was placed.
    place_order(client)
    assert not Order.objects.exists()
    assert not InvoiceRequest.objects.exists()


def test_an_invoice_without_a_title_is_refused_in_chinese(client, buyer):
    to_payment_method(client, certified_product())
    response = choose(client, title_kind="person", title="  ")
    assert response.status_code == 200
    assert "发票抬头" in response.context["invoice_form"].errors["title"][0]
    assert not Order.objects.exists()


def test_no_invoice_is_requested_when_no_invoice_is_chosen_whatever_else_was_typed(client, buyer):
    to_payment_method(client, certified_product())
    response = choose(client, title_kind="", title="", tax_number="12345")
    assert response.url == reverse("checkout:preview")
    place_order(client)
    assert Order.objects.filter(user=buyer).exists()
    assert not InvoiceRequest.objects.exists()


def test_a_unit_purchase_keeps_its_own_invoice_and_ignores_the_buyers_section(client, buyer):
    unit = UnitFactory(name="张家界市教育局", tax_number="11430800MB1234567X")
    unit.members.add(buyer)
    to_payment_method(client, certified_product())
    data = {
        "method": "transfer",
        "unit": unit.pk,
        "invoice_title": "张家界市教育局",
        "invoice_tax_number": "11430800MB1234567X",
        "invoice-title_kind": "person",
        "invoice-title": "刘女士",
    }
    assert client.post(reverse("checkout:payment-method"), data).url == reverse("checkout:preview")
    place_order(client)
    request = InvoiceRequest.objects.get(order__user=buyer)
    assert (request.title_kind, request.title) == ("company", "张家界市教育局")


def test_details_that_fail_at_placement_place_nothing():
    """The placement checks the request again: a session altered after the payment step places no order."""
    buyer = UserFactory(role="buyer")
    tea = certified_product(stock=5)
    basket = basket_for(buyer, (tea, 2))
    with pytest.raises(InvoiceError) as refused:
        place(buyer, basket, buyer_invoice={"title_kind": "company", "title": "某某有限公司", "tax_number": "1"})
    assert "15" in " ".join(refused.value.messages)
    assert not Order.objects.exists() and not InvoiceRequest.objects.exists()
    assert not tea.stockrecords.get().num_allocated
