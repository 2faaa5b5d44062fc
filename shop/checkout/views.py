import logging

from django import http
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, close_old_connections, connection
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from oscar.apps.checkout import views as oscar_views
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from organisations.models import Unit
from shop.checkout.forms import MANY_ADDRESSES, ONE_ADDRESS, PaymentMethodForm
from shop.checkout.services import (
    BasketAlreadyPlaced,
    Placement,
    checkout_place_order,
    order_number_for,
    payment_methods_for,
    payment_start,
)
from shop.checkout.session import CheckoutSessionMixin
from shop.invoicing.forms import CheckoutInvoiceForm
from shop.invoicing.services import InvoiceError
from shop.order import recipients, statuses
from shop.order.selectors import transfer_account
from shop.payment.gateway import PaymentError, get_gateway
from shop.shipping.methods import parcels_per_supplier, supplier_charges
from spreadsheets.writing import XLSX_TYPE

Order = get_model("order", "Order")

logger = logging.getLogger(__name__)


class PaymentMethodView(CheckoutSessionMixin, FormView):
    """Choose how to pay: online through Stripe (when configured), bank transfer, or cash on delivery; and for whom."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
        "check_shipping_data_is_captured",
    ]
    skip_conditions = ["skip_unless_payment_is_required"]

    def units(self):
        if not self.request.user.is_authenticated:
            return Unit.objects.none()
        return Unit.objects.filter(members=self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["methods"] = payment_methods_for(basket=self.request.basket, gateway=get_gateway())
        kwargs["units"] = self.units()
        kwargs["purchaser_units"] = recipients.purchaser_units(self.request.user)
        kwargs["basket"] = self.request.basket
        kwargs["stored_recipients"] = self.checkout_session.recipients()
        return kwargs

    def get_initial(self):
        session = self.checkout_session
        paid_for = session.unit_payment()
        return {
            "method": session.payment_method(),
            "unit": paid_for["unit_id"],
            "invoice_title": paid_for["invoice_title"],
            "invoice_tax_number": paid_for["invoice_tax_number"],
            "delivery": MANY_ADDRESSES if session.recipients() else ONE_ADDRESS,
        }

    def get_invoice_form(self):
        if self.request.method == "POST":
            return CheckoutInvoiceForm(self.request.POST)
        asked = self.checkout_session.buyer_invoice()
        return CheckoutInvoiceForm(initial=asked or None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["bank"] = transfer_account()
        ctx["unit_tax_numbers"] = {unit.pk: (unit.name, unit.tax_number) for unit in self.units()}
        stored = self.checkout_session.recipients()
        ctx["stored_recipients"] = (
            {"count": len(stored), "file_name": self.checkout_session.recipients_file_name()} if stored else None
        )
        if "invoice_form" not in ctx:
            ctx["invoice_form"] = self.get_invoice_form()
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        invoice_form = self.get_invoice_form()
        form_ok = form.is_valid()
        # A unit's purchase carries its own invoice details: the buyer's section is not asked for then.
        for_unit = form_ok and form.cleaned_data.get("unit") is not None
        if form_ok and (for_unit or invoice_form.is_valid()):
            return self.form_valid(form, None if for_unit else invoice_form.request_details())
        invoice_form.is_valid()
        return self.render_to_response(self.get_context_data(form=form, invoice_form=invoice_form))

    def form_valid(self, form, buyer_invoice=None):
        session = self.checkout_session
        unit = form.cleaned_data.get("unit")
        session.pay_by(form.cleaned_data["method"])
        session.pay_for_unit(
            unit_id=unit.pk if unit else None,
            invoice_title=form.cleaned_data.get("invoice_title", ""),
            invoice_tax_number=form.cleaned_data.get("invoice_tax_number", ""),
        )
        session.ask_invoice(buyer_invoice)
        rows = form.cleaned_data.get("recipient_rows")
        file_name = form.cleaned_data.get("recipients_file_name") or session.recipients_file_name()
        session.send_to_recipients(rows=rows, file_name=file_name)
        return redirect("checkout:preview")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def payment_choice(self):
        session = self.checkout_session
        paid_for = session.unit_payment()
        unit_id = paid_for["unit_id"]
        unit = Unit.objects.filter(pk=unit_id, members=self.request.user).first() if unit_id else None
        return {
            "method": session.payment_method(),
            "label": dict(Order.PAYMENT_METHOD_CHOICES).get(session.payment_method(), ""),
            "unit": unit,
            "invoice_title": paid_for["invoice_title"],
            "invoice_tax_number": paid_for["invoice_tax_number"],
            "buyer_invoice": None if unit else session.buyer_invoice(),
        }

    def group_delivery(self):
        """The recipients chosen at the payment step, checked again against the basket as it is now, and the split
        per product; None for delivery to the shipping address."""
        stored = self.checkout_session.recipients()
        if not stored:
            return None
        items = recipients.basket_items(self.request.basket)
        try:
            rows = recipients.check_rows(rows=recipients.rows_from_session(stored), items=items)
            errors = []
        except recipients.RecipientsRejected as error:
            rows, errors = [], error.row_errors
        parcels = parcels_per_supplier(basket=self.request.basket, rows=rows)
        return {
            "rows": rows,
            "errors": errors,
            "summary": recipients.split_summary(items=items, rows=rows),
            "shipping": [
                {"supplier": partner.name, "parcels": parcels.get(partner.pk, 1), "charge": charge}
                for partner, _subtotal, charge in supplier_charges(self.request.basket, parcels=parcels)
            ],
            "file_name": self.checkout_session.recipients_file_name(),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payment"] = self.payment_choice()
        ctx["group_delivery"] = self.group_delivery()
        return ctx

    def generate_order_number(self, basket):
        return order_number_for(basket)

    def submit(
        self,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        billing_address,
        order_total,
        payment_kwargs=None,
        order_kwargs=None,
        surcharges=None,
    ):
        order_number = self.generate_order_number(basket)
        self.checkout_session.set_order_number(order_number)
        # Not frozen beforehand, as Oscar does: checkout_place_order submits the basket in the order's transaction.
        self.checkout_session.set_submitted_basket(basket)
        choice = self.payment_choice()
        try:
            placement = checkout_place_order(
                user=user,
                basket=basket,
                shipping_address=shipping_address,
                shipping_method=shipping_method,
                shipping_charge=shipping_charge,
                order_total=order_total,
                payment_method=choice["method"],
                gateway=get_gateway(),
                unit=choice["unit"],
                invoice_title=choice["invoice_title"],
                invoice_tax_number=choice["invoice_tax_number"],
                buyer_invoice=choice["buyer_invoice"],
                recipients=self.checkout_session.recipients(),
                recipients_file_name=self.checkout_session.recipients_file_name(),
                order_number=order_number,
                success_url=self.request.build_absolute_uri(reverse("checkout:thank-you")),
                cancel_url_for=lambda order: self.request.build_absolute_uri(
                    reverse("checkout:pay", kwargs={"number": order.number})
                ),
                request=self.request,
                surcharges=surcharges,
            )
        except BasketAlreadyPlaced as error:
            # A second tap on 提交订单: the buyer is shown the order the first one placed, or told the basket is gone.
            if error.order is None or error.order.user_id != (user.pk if user.is_authenticated else None):
                return self.render_preview(self.request, error=str(error))
            self.request.session["checkout_order_id"] = error.order.id
            return http.HttpResponseRedirect(reverse("checkout:thank-you"))
        except (UnableToPlaceOrder, PaymentError) as error:
            logger.info("Order #%s not placed: %s", order_number, error)
            self.restore_frozen_basket()
            return self.render_preview(self.request, error=str(error))
        except (InvoiceError, recipients.RecipientsError) as error:
            self.restore_frozen_basket()
            return self.render_preview(self.request, error=" ".join(error.messages))
        except Exception as error:
            # Whatever failed, the buyer must not face a frozen basket: either the order was written and they are
            # shown it, or nothing was and the basket is theirs again.
            logger.exception("Order #%s: placement failed", order_number)
            if isinstance(error, DatabaseError) and not connection.in_atomic_block:
                close_old_connections()  # a connection lost mid-placement is replaced before the look-up below
            order = Order.objects.filter(number=order_number).first()
            if order is None:
                self.restore_frozen_basket()
                return self.render_preview(
                    self.request,
                    error=_(
                        "Your order could not be placed and nothing was charged. Your basket is as it was: please try "
                        "again."
                    ),
                )
            placement = Placement(order=order)
        order = placement.order
        self.after_placement(user, basket, order)
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.id
        return http.HttpResponseRedirect(placement.redirect_url or reverse("checkout:thank-you"))

    def after_placement(self, user, basket, order):
        """What follows a written order; none of it may keep the buyer from the order they placed."""
        steps = []
        if user.is_authenticated and order.shipping_address_id:
            steps.append(("save the address", lambda: self.update_address_book(user, order.shipping_address)))
        steps.append(("send the confirmation", lambda: self.send_order_placed_email(order)))
        for what, step in steps:
            try:
                step()
            except Exception:
                logger.exception("Order #%s placed, but could not %s", order.number, what)


@method_decorator(login_required, name="dispatch")
class PayView(View):
    """Where Stripe sends a buyer who left its page: the order waits, and the buyer may try again."""

    def get_order(self, request, number):
        return get_object_or_404(Order, number=number, user=request.user)

    def get(self, request, number):
        order = self.get_order(request, number)
        return render(request, "oscar/checkout/pay.html", {"order": order, "can_pay": self.can_pay(order)})

    def can_pay(self, order):
        return order.status == statuses.PENDING and order.payment_method == Order.STRIPE and get_gateway() is not None

    def post(self, request, number):
        order = self.get_order(request, number)
        if not self.can_pay(order):
            messages.error(request, _("This order is not awaiting online payment."))
            return redirect("checkout:pay", number=number)
        try:
            url = payment_start(
                order=order,
                gateway=get_gateway(),
                success_url=request.build_absolute_uri(
                    reverse("customer:order", kwargs={"order_number": order.number})
                ),
                cancel_url_for=lambda o: request.build_absolute_uri(
                    reverse("checkout:pay", kwargs={"number": o.number})
                ),
            )
        except (UnableToPlaceOrder, PaymentError) as error:
            messages.error(request, str(error))
            return redirect("checkout:pay", number=number)
        return http.HttpResponseRedirect(url)


def recipients_template(request):
    """The recipients spreadsheet to fill in, offered to unit purchasers at the payment step."""
    units = recipients.purchaser_units(request.user)
    if not units.exists():
        raise http.Http404
    number = request.GET.get("order")
    if number:
        # The template for an order already placed lists that order's products; only its unit's purchasers get it.
        items = recipients.order_items(get_object_or_404(Order, number=number, unit__in=units))
    else:
        items = recipients.basket_items(request.basket) if request.basket.id else []
    response = http.HttpResponse(recipients.template_xlsx(items), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="recipients-template.xlsx"'
    return response
