"""Fulfilment for suppliers (their own lines only) and payment actions for the platform's operators.

Who may open each view is in the app config's permissions_map.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from oscar.apps.dashboard.orders.views import *  # noqa: F403
from oscar.core.loading import get_model

from accounts.redirects import safe_next
from shop.order import selectors, services
from shop.order.statuses import ORDER_LABELS
from shop.payment.gateway import get_gateway
from shop.payment.selectors import refunds_owed
from shop.payment.services import cancelled_order_refund_transfer, refund_request
from spreadsheets.writing import neutralise

Order = get_model("order", "Order")
Line = get_model("order", "Line")


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=gettext_lazy("Carrier"),
        max_length=64,
        error_messages={"required": gettext_lazy("Enter the carrier, for example 顺丰速运.")},
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        max_length=64,
        error_messages={"required": gettext_lazy("Enter the tracking number.")},
    )


def fulfilment_list(request):
    shipments = selectors.fulfilment_queue(user=request.user)
    state = request.GET.get("state", "todo")
    if state == "todo":
        # Oldest first: the parcel that has waited longest is shipped first.
        shipments = shipments.filter(shipped_at__isnull=True).order_by("order__date_placed", "pk")
    page = Paginator(shipments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oscar/dashboard/orders/fulfilment_list.html",
        {"shipments": page.object_list, "page": page, "state": state},
    )


def _shipment(request, pk):
    # Another supplier's shipment is simply not found, whatever id is typed into the URL.
    return get_object_or_404(selectors.shipments_of_staff(user=request.user), pk=pk)


def fulfilment_detail(request, pk, form=None):
    shipment = _shipment(request, pk)
    return render(
        request,
        "oscar/dashboard/orders/fulfilment_detail.html",
        {
            "shipment": shipment,
            "order": shipment.order,
            "lines": selectors.shipment_lines(shipment=shipment),
            "recipients": selectors.shipment_recipients(shipment=shipment),
            "form": form
            or ShipForm(initial={"carrier": shipment.carrier, "tracking_number": shipment.tracking_number}),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@require_POST
def fulfilment_ship(request, pk):
    shipment = _shipment(request, pk)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return fulfilment_detail(request, pk, form=form)
    try:
        services.shipment_ship(shipment=shipment, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("dashboard:order-fulfilment-detail", pk=pk)
    messages.success(request, _("Marked as shipped; the buyer can now see the tracking number."))
    # Back to the list (with its filter and page) the parcel was opened from, when it was.
    return safe_next(request, reverse("dashboard:order-fulfilment-detail", kwargs={"pk": pk}))


@require_POST
def fulfilment_deliver(request, pk):
    shipment = _shipment(request, pk)
    try:
        services.shipment_deliver(shipment=shipment, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked as delivered."))
    return safe_next(request, reverse("dashboard:order-fulfilment-detail", kwargs={"pk": pk}))


def payments(request):
    return render(
        request,
        "oscar/dashboard/orders/payments.html",
        {
            "transfers": selectors.awaiting_transfer(user=request.user).select_related("unit", "user")[:200],
            "reviews": selectors.payment_review_queue(user=request.user).prefetch_related("notes")[:200],
            "owed": refunds_owed(user=request.user).select_related("user")[:200],
            "refundable": Order.objects.filter(payment_method=Order.STRIPE, paid_at__isnull=False)
            .exclude(status__in=["refunded", "cancelled"])
            .prefetch_related("lines")
            .order_by("-paid_at")[:50],
        },
    )


@require_POST
def transfer_received(request, number):
    order = get_object_or_404(Order, number=number)
    try:
        services.transfer_mark_received(order=order, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Order %(number)s is paid.") % {"number": order.number})
    return redirect("dashboard:order-payments")


@require_POST
def refund(request, number):
    order = get_object_or_404(Order, number=number)
    line_id = request.POST.get("line")
    line = get_object_or_404(Line, pk=line_id, order=order) if line_id else None
    try:
        refund_request(
            order=order, line=line, user=request.user, gateway=get_gateway(), reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The refund was sent; it is recorded when the payment service confirms it."))
    return redirect("dashboard:order-payments")


@require_POST
def refund_transfer(request, number):
    """The operator records the bank transfer that returned a cancelled order's payment to its buyer."""
    order = get_object_or_404(Order, number=number)
    try:
        refund = cancelled_order_refund_transfer(
            order=order, user=request.user, bank_reference=request.POST.get("bank_reference", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The refund of ¥%(amount)s for order %(number)s is recorded; its suppliers are debited.")
            % {"amount": refund.amount, "number": order.number},
        )
    return redirect("dashboard:order-payments")


class OrderListView(OrderListView):  # noqa: F405 - Oscar's, extended
    def get_search_filter_descriptions(self):
        # Oscar names the status filter by the stored code (订单状态为cancelled); it reads the status's label instead.
        descriptions = super().get_search_filter_descriptions()
        status = getattr(self.form, "cleaned_data", {}).get("status")
        if status:
            coded = _("Order status is {order_status}").format(order_status=status)
            labelled = _("Order status is {order_status}").format(order_status=ORDER_LABELS.get(status, status))
            descriptions = [labelled if description == coded else description for description in descriptions]
        return descriptions

    def get_row_values(self, order):
        # Buyers type their own address names; the CSV download must not turn one into a formula.
        return {column: neutralise(value) for column, value in super().get_row_values(order).items()}
