"""Placing an order: stock allocated under row locks in one transaction, then payment started outside it."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from shop.invoicing.services import invoice_request_at_checkout, invoice_request_from_checkout, invoice_title_clean
from shop.order import recipients as order_recipients
from shop.order import statuses
from shop.order.services import notify_suppliers, order_cancel_unpaid, transfer_reference_for
from shop.order.utils import OrderCreator
from shop.payment.gateway import PaymentError, PaymentRequest, UnableToTakePayment
from shop.shipping.methods import ZERO, parcels_per_supplier, supplier_charges

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Shipment = get_model("order", "Shipment")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


class BasketAlreadyPlaced(UnableToPlaceOrder):
    """The basket became an order meanwhile (the buyer tapped 提交订单 twice, or placed it in another tab): `order`."""

    def __init__(self, order):
        super().__init__(_("This basket has already been placed as an order."))
        self.order = order


@dataclass
class Placement:
    order: Order
    redirect_url: str = ""


def order_number_for(basket):
    """Date, basket and a random tail: a buyer whose payment failed can place the same basket again."""
    prefix = timezone.localdate().strftime("%y%m%d")
    while True:
        number = f"{prefix}{basket.id:06d}{secrets.randbelow(90) + 10}"
        if not Order.objects.filter(number=number).exists():
            return number


def payment_methods_for(*, basket, gateway, unit=None):
    """The (code, label) choices this basket may be paid with."""
    labels = dict(Order.PAYMENT_METHOD_CHOICES)
    methods = []
    if gateway is not None:
        methods.append((Order.STRIPE, labels[Order.STRIPE]))
    methods.append((Order.TRANSFER, labels[Order.TRANSFER]))
    partners = [partner for partner, _subtotal, _charge in supplier_charges(basket)]
    if partners and all(p.allows_cash_on_delivery for p in partners):
        methods.append((Order.COD, labels[Order.COD]))
    return methods


def checkout_place_order(
    *,
    user,
    basket,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    payment_method,
    gateway=None,
    unit=None,
    invoice_title="",
    invoice_tax_number="",
    buyer_invoice=None,
    recipients=None,
    recipients_file_name="",
    order_number=None,
    success_url="",
    cancel_url_for=None,
    request=None,
    surcharges=None,
):
    allowed = {code for code, _label in payment_methods_for(basket=basket, gateway=gateway)}
    if payment_method not in allowed:
        raise UnableToTakePayment(_("This payment method is not available for these products."))
    if unit is not None:
        if not unit.members.filter(pk=user.pk).exists():
            raise PermissionDenied(_("You can only buy on account for a unit you belong to."))
        if payment_method != Order.TRANSFER:
            raise UnableToTakePayment(_("A unit pays on account by bank transfer (对公转账)."))
    # A buyer's own invoice request (需要发票) is checked before anything is written; a unit's order has its own.
    buyer_invoice = buyer_invoice if unit is None else None
    if buyer_invoice:
        invoice_title_clean(
            title_kind=buyer_invoice.get("title_kind"),
            title=buyer_invoice.get("title"),
            tax_number=buyer_invoice.get("tax_number"),
        )
    if recipients:
        # A delivery to many addresses is a unit's order, and its quantities must still be the basket's.
        if unit is None:
            raise PermissionDenied(_("Delivery to many addresses is for an order bought for your unit."))
        recipient_rows = order_recipients.rows_from_session(recipients)
        checked = order_recipients.check_rows(rows=recipient_rows, items=order_recipients.basket_items(basket))
        parcels = parcels_per_supplier(basket=basket, rows=checked)
        charged = sum((charge for _partner, _subtotal, charge in supplier_charges(basket, parcels=parcels)), ZERO)
        if shipping_charge is not None and shipping_charge.incl_tax != charged:
            # The total shown must be the one charged: each supplier's parcels are priced from these recipients.
            raise UnableToPlaceOrder(
                _("The shipping charge no longer matches the recipients' addresses; check the order again.")
            )
    else:
        parcels = None
    order_number = order_number or order_number_for(basket)
    extra = {
        "payment_method": payment_method,
        "unit": unit,
        "invoice_title": invoice_title if unit else "",
        "invoice_tax_number": invoice_tax_number if unit else "",
    }
    if payment_method == Order.TRANSFER:
        extra["transfer_reference"] = transfer_reference_for(order_number)
    basket.with_line_details()  # each order line copies its basket line's options: one query for all of them
    with transaction.atomic():
        # The basket is claimed first, by a conditional update: of two placements of one basket at once (a double tap),
        # the second waits for the first's transaction and finds the basket no longer open, on PostgreSQL as on SQLite.
        claimed = Basket.objects.filter(pk=basket.pk, status=Basket.OPEN).update(status=Basket.SUBMITTED)
        if not claimed:
            raise BasketAlreadyPlaced(Order.objects.filter(basket_id=basket.pk).order_by("-pk").first())
        if shipping_address is not None:
            shipping_address.save()
        order = OrderCreator().place_order(
            basket=basket,
            total=order_total,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            user=user,
            shipping_address=shipping_address,
            order_number=order_number,
            status=statuses.PENDING,
            request=request,
            surcharges=surcharges,
            **extra,
        )
        Shipment.objects.bulk_create(
            Shipment(order=order, partner=partner, shipping_charge=charge)
            for partner, _subtotal, charge in supplier_charges(basket, parcels=parcels)
        )
        invoice_request_from_checkout(order=order)
        if recipients:
            # In the order's transaction: no order without its recipients, no recipients without their order.
            order_recipients.group_delivery_create(
                order=order, user=user, rows=recipient_rows, file_name=recipients_file_name
            )
        if buyer_invoice:
            invoice_request_at_checkout(
                order=order,
                user=user,
                title_kind=buyer_invoice.get("title_kind"),
                title=buyer_invoice.get("title"),
                tax_number=buyer_invoice.get("tax_number", ""),
                email=buyer_invoice.get("email", ""),
            )
        if payment_method == Order.COD:
            order.set_status(statuses.COD)
            transaction.on_commit(lambda: notify_suppliers(order=order), robust=True)
        # In the order's transaction: a process killed while placing leaves the basket open and no order, or the order
        # and its basket submitted, never a basket frozen without an order, its lines out of the buyer's reach.
        basket.submit()
    if payment_method != Order.STRIPE:
        return Placement(order=order)
    try:
        redirect_url = payment_start(
            order=order, gateway=gateway, success_url=success_url, cancel_url_for=cancel_url_for
        )
    except PaymentError:
        # Nothing was charged: give the stock back at once so the basket can be placed again.
        order_cancel_unpaid(order=order, reason=_("The online payment could not be started."))
        raise
    return Placement(order=order, redirect_url=redirect_url)


def payment_start(*, order, gateway, success_url="", cancel_url_for=None):
    """Open a hosted payment page for an unpaid order; returning from it never marks the order paid."""
    if order.status != statuses.PENDING or order.payment_method != Order.STRIPE:
        raise UnableToPlaceOrder(_("Order %(number)s is not awaiting online payment.") % {"number": order.number})
    source_type, _created = SourceType.objects.get_or_create(code=Order.STRIPE, defaults={"name": "Stripe"})
    attempts = order.sources.filter(source_type=source_type).count() + 1
    session = gateway.start(
        PaymentRequest(
            order_number=order.number,
            amount=order.total_incl_tax,
            currency=order.currency,
            description=_("消费扶贫商城 order %(number)s") % {"number": order.number},
            customer_email=order.email,
            success_url=success_url,
            cancel_url=cancel_url_for(order) if cancel_url_for else success_url,
            attempt=attempts,
        )
    )
    Source.objects.create(
        order=order,
        source_type=source_type,
        currency=order.currency,
        amount_allocated=order.total_incl_tax,
        reference=session.reference,
    )
    return session.redirect_url
