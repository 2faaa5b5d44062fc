"""Helpers for the checkout tests: a fake gateway behind the payment interface, Stripe-signed webhooks, orders."""

import hashlib
import hmac
import io
import json
import time
from itertools import count

import pytest
from django.urls import reverse
from openpyxl import Workbook
from oscar.core.loading import get_class, get_model

from shop.address.forms import china
from shop.checkout.services import checkout_place_order
from shop.payment.gateway import GatewayError, PaymentDeclined, PaymentSession, RefundResult, to_minor_units
from shop.payment.stripe_gateway import StripeGateway
from shop.shipping.methods import SupplierShipping, parcels_for_stored

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")

RECIPIENTS_HEADER = ["商品", "收件人", "手机号", "收货地址", "数量"]


def recipients_xlsx(*rows, codes=False):
    """The bytes of a recipients workbook as a unit fills it in: product, name, phone, address, quantity (and the
    product code as a sixth column when `codes`)."""
    book = Workbook()
    book.active.append(RECIPIENTS_HEADER + (["商品编码"] if codes else []))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WEBHOOK_SECRET = "whsec_test_5f0c2b1e9a"
STRIPE_SETTINGS = {
    "STRIPE_SECRET_KEY": "sk_test_fake",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_fake",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "PAYMENT_GATEWAY": "tests.integration.shop.support.FakeGateway",
}
ADDRESS = {
    "first_name": "张三",
    "phone_number": "13800138000",
    "state": "湖南省",
    "line4": "张家界市",
    "line3": "桑植县",
    "line1": "澧源镇人民路8号",
    "postcode": "427100",
}

_ids = count(1)


class FakeGateway(StripeGateway):
    """Stripe's webhook verification, but sessions and refunds stay in memory. Stripe's test tokens choose the outcome."""

    DECLINES = {
        "tok_chargeDeclined": "您的银行卡被拒绝，请换一张卡或改用其他付款方式。",
        "tok_chargeDeclinedInsufficientFunds": "余额不足，银行拒绝了这笔付款。",
    }
    token = "tok_visa"
    sessions = []
    refunds = []

    def start(self, request):
        if self.token in self.DECLINES:
            raise PaymentDeclined(self.DECLINES[self.token])
        if self.token == "tok_gatewayDown":
            raise GatewayError("connection refused")
        session = PaymentSession(
            reference=f"cs_test_{request.order_number}_{next(_ids)}",
            redirect_url=f"https://checkout.stripe.com/c/pay/cs_test_{request.order_number}",
        )
        FakeGateway.sessions.append((request, session))
        return session

    def refund(self, *, payment_reference, amount, refund_id):
        if self.token == "tok_refundFails":
            raise GatewayError("charge already refunded")
        result = RefundResult(reference=f"re_test_{refund_id}", status="pending")
        FakeGateway.refunds.append((payment_reference, amount, result))
        return result

    def close_session(self, *, reference):
        if self.token == "tok_gatewayDown":
            raise GatewayError("connection refused")
        return "complete" if self.token == "tok_sessionPaid" else "expired"

    @classmethod
    def reset(cls):
        cls.token = "tok_visa"
        cls.sessions = []
        cls.refunds = []


def sign(payload, secret=WEBHOOK_SECRET, timestamp=None):
    """Stripe's scheme: HMAC-SHA256 of "timestamp.payload" with the endpoint secret, sent as t=…,v1=…."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def event(event_type, obj, event_id=None):
    return json.dumps(
        {
            "id": event_id or f"evt_test_{next(_ids)}",
            "object": "event",
            "api_version": "2026-10-28.endive",
            "type": event_type,
            "data": {"object": obj},
        }
    )


def session_completed(order, amount=None, currency="cny", payment_intent="pi_test_1"):
    return {
        "id": f"cs_test_{order.number}",
        "object": "checkout.session",
        "client_reference_id": order.number,
        "metadata": {"order_number": order.number},
        "amount_total": to_minor_units(order.total_incl_tax) if amount is None else amount,
        "currency": currency,
        "payment_status": "paid",
        "payment_intent": payment_intent,
    }


def deliver(client, payload, signature=None):
    return client.post(
        reverse("shop:stripe-webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(payload),
    )


def basket_for(user, *items):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def place(user, basket, payment_method="transfer", gateway=None, **kwargs):
    method = SupplierShipping(parcels=parcels_for_stored(basket=basket, stored=kwargs.get("recipients")))
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress(country=china(), **{**ADDRESS, "phone_number": "+8613800138000"})
    return checkout_place_order(
        user=user,
        basket=basket,
        shipping_address=address,
        shipping_method=method,
        shipping_charge=charge,
        order_total=total,
        payment_method=payment_method,
        gateway=gateway,
        success_url="http://testserver/shop/checkout/thank-you/",
        **kwargs,
    )


@pytest.fixture
def stripe_on(settings):
    """Stripe switched on with test keys, answered by the fake gateway, which is emptied before and after."""
    for key, value in STRIPE_SETTINGS.items():
        setattr(settings, key, value)
    FakeGateway.reset()
    yield FakeGateway
    FakeGateway.reset()
