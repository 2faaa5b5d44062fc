import re
from decimal import Decimal
from pathlib import Path

import pytest

from shop.payment.gateway import PaymentRequest, from_minor_units, get_gateway, to_minor_units
from shop.payment.stripe_gateway import STRIPE_API_VERSION, StripeGateway

ROOT = Path(__file__).resolve().parents[3]
IMPORTS_STRIPE = re.compile(r"^\s*(import stripe\b|from stripe\b)", re.MULTILINE)


def test_exactly_one_module_of_the_project_imports_stripe():
    sources = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "node_modules"} & set(path.relative_to(ROOT).parts)
    ]
    importers = sorted(str(p.relative_to(ROOT)) for p in sources if IMPORTS_STRIPE.search(p.read_text("utf-8")))
    assert importers == ["shop/payment/stripe_gateway.py"]


def test_the_api_version_is_pinned_in_that_module_only():
    pinned = [
        str(p.relative_to(ROOT)) for p in (ROOT / "shop").rglob("*.py") if STRIPE_API_VERSION in p.read_text("utf-8")
    ]
    assert pinned == ["shop/payment/stripe_gateway.py"]


def request(**overrides):
    fields = {
        "order_number": "2611230000121",
        "amount": Decimal("186.50"),
        "currency": "CNY",
        "description": "消费扶贫商城订单",
        "customer_email": "buyer@example.cn",
        "success_url": "https://shop.example.cn/shop/checkout/thank-you/",
        "cancel_url": "https://shop.example.cn/shop/checkout/pay/2611230000121/",
    }
    return PaymentRequest(**{**fields, **overrides})


def test_a_checkout_session_is_in_yuan_in_chinese_and_lets_the_account_choose_payment_methods(settings):
    settings.STRIPE_PAYMENT_METHOD_CONFIGURATION = ""
    params = StripeGateway(secret_key="sk_test_x", webhook_secret="whsec_x").session_params(request())
    assert params["currency"] == "cny" and params["locale"] == "zh"
    assert params["line_items"][0]["price_data"]["unit_amount"] == 18650
    assert params["client_reference_id"] == "2611230000121"
    assert "payment_method_types" not in params
    assert "payment_method_configuration" not in params


def test_a_payment_method_configuration_from_the_environment_is_passed_on(settings):
    settings.STRIPE_PAYMENT_METHOD_CONFIGURATION = "pmc_123"
    params = StripeGateway(secret_key="sk_test_x", webhook_secret="whsec_x").session_params(request())
    assert params["payment_method_configuration"] == "pmc_123"


@pytest.mark.parametrize(("yuan", "fen"), [("0.01", 1), ("88.00", 8800), ("186.50", 18650), ("12345.67", 1234567)])
def test_yuan_and_fen_convert_exactly(yuan, fen):
    assert to_minor_units(Decimal(yuan)) == fen
    assert from_minor_units(fen) == Decimal(yuan)


def test_without_keys_there_is_no_gateway(settings):
    settings.PAYMENT_GATEWAY = ""
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    assert get_gateway() is None
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert get_gateway() is None  # a half-configured account is not offered either
    settings.STRIPE_PUBLISHABLE_KEY, settings.STRIPE_WEBHOOK_SECRET = "pk_test_x", "whsec_x"
    assert isinstance(get_gateway(), StripeGateway)
