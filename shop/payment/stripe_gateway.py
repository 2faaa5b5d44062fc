"""Stripe behind the payment interface. The only module that imports `stripe`."""

import json
import logging

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from shop.payment.gateway import (
    GatewayError,
    GatewayEvent,
    InvalidSignature,
    PaymentDeclined,
    PaymentSession,
    RefundResult,
    to_minor_units,
)

logger = logging.getLogger(__name__)

# Every request and every webhook endpoint of this project speaks this API version; change it here only.
STRIPE_API_VERSION = "2026-10-28.endive"
WEBHOOK_TOLERANCE_SECONDS = 300


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key=None, webhook_secret=None):
        self.secret_key = secret_key or settings.STRIPE_SECRET_KEY
        self.webhook_secret = webhook_secret or settings.STRIPE_WEBHOOK_SECRET

    @property
    def client(self):
        return stripe.StripeClient(self.secret_key, stripe_version=STRIPE_API_VERSION, max_network_retries=2)

    def session_params(self, request):
        params = {
            "mode": "payment",
            "currency": request.currency.lower(),
            "locale": "zh",
            "client_reference_id": request.order_number,
            "customer_email": request.customer_email or None,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": to_minor_units(request.amount),
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "metadata": {"order_number": request.order_number},
            "payment_intent_data": {"metadata": {"order_number": request.order_number}},
            # WeChat Pay on the web needs its client named; other methods ignore this.
            "payment_method_options": {"wechat_pay": {"client": "web"}},
        }
        if settings.STRIPE_PAYMENT_METHOD_CONFIGURATION:
            params["payment_method_configuration"] = settings.STRIPE_PAYMENT_METHOD_CONFIGURATION
        return {key: value for key, value in params.items() if value is not None}

    def start(self, request):
        try:
            session = self.client.v1.checkout.sessions.create(
                params=self.session_params(request),
                options={"idempotency_key": f"checkout-{request.order_number}-{request.attempt}"},
            )
        except stripe.CardError as error:
            raise PaymentDeclined(error.user_message or _("The payment was declined."))
        except stripe.StripeError as error:
            logger.error("Stripe refused a Checkout Session for order %s: %s", request.order_number, error)
            raise GatewayError(str(error))
        return PaymentSession(reference=session.id, redirect_url=session.url)

    def refund(self, *, payment_reference, amount, refund_id):
        try:
            refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment_reference,
                    "amount": to_minor_units(amount),
                    "metadata": {"refund_id": str(refund_id)},
                },
                options={"idempotency_key": f"refund-{refund_id}"},
            )
        except stripe.StripeError as error:
            raise GatewayError(error.user_message or str(error))
        return RefundResult(reference=refund.id, status=refund.status)

    def close_session(self, *, reference):
        """Expire a Checkout Session still open; returns its final status ("expired", or "complete" if it was paid)."""
        try:
            session = self.client.v1.checkout.sessions.retrieve(reference)
            if session.status == "open":
                session = self.client.v1.checkout.sessions.expire(reference)
        except stripe.StripeError as error:
            raise GatewayError(str(error))
        return session.status

    def parse_webhook(self, *, payload, signature):
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"), signature or "", self.webhook_secret, WEBHOOK_TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
            raise InvalidSignature(str(error))
        try:
            body = json.loads(payload)
            return GatewayEvent(id=body["id"], type=body["type"], data=body["data"]["object"])
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidSignature(f"malformed event: {error}")
