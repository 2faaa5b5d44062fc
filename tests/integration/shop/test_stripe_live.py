import os
import time
from decimal import Decimal

import pytest

from shop.payment.gateway import PaymentRequest
from shop.payment.stripe_gateway import StripeGateway

pytestmark = [
    pytest.mark.stripe_live,
    pytest.mark.skipif(not os.environ.get("STRIPE_SECRET_KEY"), reason="needs a Stripe test key (STRIPE_SECRET_KEY)"),
]


def test_stripe_accepts_a_checkout_session_in_yuan():
    gateway = StripeGateway(secret_key=os.environ["STRIPE_SECRET_KEY"], webhook_secret="whsec_unused")
    session = gateway.start(
        PaymentRequest(
            order_number=f"LIVE-{int(time.time())}",
            amount=Decimal("1.00"),
            currency="CNY",
            description="消费扶贫商城 test",
            customer_email="buyer@example.cn",
            success_url="https://example.cn/thank-you/",
            cancel_url="https://example.cn/pay/",
        )
    )
    assert session.reference.startswith("cs_test_")
    assert session.redirect_url.startswith("https://checkout.stripe.com/")
