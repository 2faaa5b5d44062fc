from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, certified_product
from tests.integration.shop import support
from tests.integration.shop.support import ADDRESS

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


# The shared Stripe fixture, under the name these tests use for the gateway it yields.
stripe_gateway = support.stripe_on


@pytest.fixture
def buyer(client):
    user = UserFactory(email="buyer@example.cn")
    client.force_login(user)
    return user


def add(client, product, quantity=1):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def to_payment_method(client, address=None):
    response = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    response = client.get(reverse("checkout:shipping-method"))
    assert response.url == reverse("checkout:payment-method")
    return client.get(reverse("checkout:payment-method"))


def checkout(client, method, **payment):
    to_payment_method(client)
    response = client.post(reverse("checkout:payment-method"), {"method": method, **payment})
    assert response.status_code == 302, response.context["form"].errors
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def test_a_bank_transfer_order_shows_the_reference_code_and_what_it_supports(
    client, buyer, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    tea = certified_product(title="桑植白茶", price="88.00")
    add(client, tea, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, "transfer")
    run_tasks()
    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get(user=buyer)
    assert order.status == "pending" and order.payment_method == "transfer"
    assert order.total_incl_tax == Decimal("186.00")  # 2 × 88 and the supplier's ¥10 shipping
    body = client.get(response.url).content.decode()
    assert order.transfer_reference in body
    assert "合群村" in body and tea.stockrecords.get().partner.name in body
    assert order.shipping_address.phone_number.national_number == 13800138000
    assert order.transfer_reference in mailoutbox[-1].body
    assert "合群村" in mailoutbox[-1].body


def test_without_stripe_keys_online_payment_is_not_offered(client, buyer):
    add(client, certified_product())
    choices = [value for value, _label in to_payment_method(client).context["form"].fields["method"].choices]
    assert choices == ["transfer"]
    response = client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    assert response.status_code == 200
    assert "stripe" in response.context["form"].errors["method"][0]


def test_with_stripe_keys_the_buyer_is_sent_to_stripe_and_the_order_waits_for_the_webhook(
    client, buyer, stripe_gateway
):
    add(client, certified_product())
    response = checkout(client, "stripe")
    assert response.url.startswith("https://checkout.stripe.com/")
    order = Order.objects.get(user=buyer)
    assert order.status == "pending" and order.paid_at is None
    request, _session = stripe_gateway.sessions[-1]
    assert request.currency == "CNY" and request.amount == order.total_incl_tax
    # Coming back from Stripe shows the order but does not mark it paid.
    client.get(reverse("checkout:thank-you"))
    order.refresh_from_db()
    assert order.paid_at is None


def test_a_declined_card_shows_why_and_leaves_the_basket_intact(client, buyer, stripe_gateway):
    tea = certified_product(stock=10)
    add(client, tea, 3)
    stripe_gateway.token = "tok_chargeDeclined"
    response = checkout(client, "stripe")
    assert response.status_code == 200
    assert "您的银行卡被拒绝" in response.content.decode()
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 3
    assert StockRecord.objects.get(product=tea).num_allocated == 0
    assert not Order.objects.exclude(status="cancelled").exists()
    # The buyer can simply try again with another card.
    stripe_gateway.token = "tok_visa"
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.url.startswith("https://checkout.stripe.com/")


def test_cash_on_delivery_is_offered_only_when_every_supplier_accepts_it(client, buyer):
    accepts = certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=True))
    refuses = certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=False))
    add(client, accepts)
    choices = [value for value, _label in to_payment_method(client).context["form"].fields["method"].choices]
    assert "cod" in choices
    add(client, refuses)
    choices = [value for value, _label in to_payment_method(client).context["form"].fields["method"].choices]
    assert "cod" not in choices


def test_a_cash_on_delivery_order_can_be_shipped_at_once_and_its_supplier_is_told(
    client, buyer, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    staff = UserFactory(email="ops@supplier.cn")
    partner = CertifiedPartnerFactory(allows_cash_on_delivery=True)
    partner.users.add(staff)
    add(client, certified_product(partner=partner))
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod")
    run_tasks()
    order = Order.objects.get(user=buyer)
    assert order.status == "cod"
    assert any(m.to == ["ops@supplier.cn"] and order.number in m.subject for m in mailoutbox)


def test_a_wrong_mobile_number_is_refused_in_chinese_and_nothing_is_saved(client, buyer):
    add(client, certified_product())
    for number in ("12345678901", "0744-8222222", "+12025550123"):
        response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "phone_number": number})
        assert response.status_code == 200
        assert "11 位" in response.context["form"].errors["phone_number"][0]
    assert not UserAddress.objects.exists()


def test_a_missing_county_is_refused_in_chinese(client, buyer):
    add(client, certified_product())
    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "line3": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["line3"] == ["请填写区县。"]


def test_the_township_is_asked_after_the_county_and_kept_on_the_order_and_the_address_book(client, buyer):
    add(client, certified_product())
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    labels = [page.index(label) for label in ("省份", "城市", "区县", "乡镇/街道", "详细地址")]
    assert labels == sorted(labels)
    assert 'name="line2"' in page and 'id="id_line2"' in page
    to_payment_method(client, {**ADDRESS, "line2": "澧源镇", "line1": "人民路8号"})
    client.post(reverse("checkout:payment-method"), {"method": "transfer"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    address = Order.objects.get(user=buyer).shipping_address
    assert (address.line3, address.line2, address.line1) == ("桑植县", "澧源镇", "人民路8号")
    assert UserAddress.objects.get(user=buyer).line2 == "澧源镇"


def test_the_township_may_be_left_empty_for_a_place_the_list_does_not_have(client, buyer):
    add(client, certified_product())
    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "line2": ""})
    assert response.status_code == 302


def test_a_unit_member_buys_on_account_with_an_invoice_request(client, buyer):
    unit = UnitFactory(name="张家界市教育局", tax_number="11430800MB1234567X")
    unit.members.add(buyer)
    add(client, certified_product())
    response = checkout(
        client,
        "transfer",
        unit=unit.pk,
        invoice_title="张家界市教育局",
        invoice_tax_number="11430800MB1234567X",
    )
    assert response.url == reverse("checkout:thank-you")
    order = Order.objects.get(user=buyer)
    assert (order.unit, order.invoice_title, order.invoice_tax_number) == (
        unit,
        "张家界市教育局",
        "11430800MB1234567X",
    )


def test_a_unit_purchase_without_invoice_details_or_by_cash_is_refused_and_nothing_is_saved(client, buyer):
    unit = UnitFactory()
    unit.members.add(buyer)
    add(client, certified_product(partner=CertifiedPartnerFactory(allows_cash_on_delivery=True)))
    to_payment_method(client)
    response = client.post(
        reverse("checkout:payment-method"), {"method": "cod", "unit": unit.pk, "invoice_tax_number": "123"}
    )
    errors = response.context["form"].errors
    assert "对公转账" in errors["method"][0]
    assert "发票抬头" in errors["invoice_title"][0]
    assert "15" in errors["invoice_tax_number"][0]
    assert not Order.objects.exists()


def test_nobody_buys_for_a_unit_they_do_not_belong_to(client, buyer):
    UnitFactory().members.add(buyer)
    other_unit = UnitFactory()
    add(client, certified_product())
    to_payment_method(client)
    response = client.post(
        reverse("checkout:payment-method"),
        {"method": "transfer", "unit": other_unit.pk, "invoice_title": "x", "invoice_tax_number": "11430800MB1234567X"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.context["form"].errors["unit"][0]
    assert not Order.objects.exists()


def test_a_buyer_who_left_stripe_can_pay_again_but_nobody_else_can(client, buyer, stripe_gateway):
    add(client, certified_product())
    checkout(client, "stripe")
    order = Order.objects.get(user=buyer)
    url = reverse("checkout:pay", kwargs={"number": order.number})
    assert "重新付款" in client.get(url).content.decode()
    response = client.post(url)
    assert response.url.startswith("https://checkout.stripe.com/")
    assert order.sources.count() == 2  # one payment attempt each time, the latest is the one Stripe pays
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert order.sources.count() == 2
