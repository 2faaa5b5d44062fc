"""The project's own payment interface: checkout, webhooks and refunds talk to this, never to a vendor SDK."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string
from oscar.apps.payment.exceptions import PaymentError, UnableToTakePayment


class PaymentDeclined(UnableToTakePayment):
    """The gateway refused; the message says why, in words the buyer can act on."""


class GatewayError(PaymentError):
    """The gateway could not be reached or answered in a way we did not expect."""


class InvalidSignature(Exception):
    """A webhook whose signature does not match its body, or which is too old."""


@dataclass(frozen=True)
class PaymentRequest:
    order_number: str
    amount: Decimal
    currency: str
    description: str
    customer_email: str
    success_url: str
    cancel_url: str
    attempt: int = 1


@dataclass(frozen=True)
class PaymentSession:
    reference: str
    redirect_url: str


@dataclass(frozen=True)
class RefundResult:
    reference: str
    status: str


@dataclass(frozen=True)
class GatewayEvent:
    id: str
    type: str
    data: dict = field(default_factory=dict)


def to_minor_units(amount):
    """Yuan to fen, exactly."""
    return int((Decimal(amount) * 100).to_integral_value())


def from_minor_units(amount):
    return (Decimal(int(amount)) / 100).quantize(Decimal("0.01"))


def get_gateway():
    """The configured gateway, or None when online payment is not offered (no Stripe keys)."""
    if settings.PAYMENT_GATEWAY:
        return import_string(settings.PAYMENT_GATEWAY)()
    if settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY and settings.STRIPE_WEBHOOK_SECRET:
        from shop.payment.stripe_gateway import StripeGateway

        return StripeGateway()
    return None
