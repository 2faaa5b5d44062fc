"""The buyer's invoice pages (request, download) and the back office's list where suppliers issue them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from accounts.permissions import (
    CONFIRM_TRANSFERS,
    ISSUE_ALL_INVOICES,
    ISSUE_OWN_INVOICES,
    REGISTER_PURCHASES,
    VIEW_OFFICE_DASHBOARD,
    permission_required,
    permissions_required,
)
from shop.invoicing import selectors, services
from shop.invoicing.forms import AcceptanceForm, InvoiceIssueForm, InvoiceRequestForm, VoucherForm
from shop.invoicing.models import InvoiceRequest, InvoiceStatus, UnitOrderStatus
from suppliers.private_files import private_file_response

Order = get_model("order", "Order")

MAY_ISSUE = ([ISSUE_OWN_INVOICES], [ISSUE_ALL_INVOICES])


def _order_page(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def _messages_of(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


@login_required
def invoice_request(request, number):
    order = get_object_or_404(Order, number=number, user=request.user)
    if InvoiceRequest.objects.filter(order=order).exists():
        return redirect(_order_page(order))
    form = InvoiceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_request(order=order, user=request.user, **form.cleaned_data)
        except services.InvoiceError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, field_errors in errors.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your invoice request was sent to the supplier."))
            return redirect(_order_page(order))
    return render(request, "invoicing/request.html", {"order": order, "form": form})


@login_required
def invoice_file(request, pk):
    invoice = selectors.invoice_for_download(request.user, pk)
    if invoice is None or not invoice.file:
        raise Http404
    return private_file_response(invoice.file, original_name=invoice.file_name)


@permissions_required(MAY_ISSUE)
def invoice_list(request):
    invoices = selectors.invoices_to_issue(request.user)
    status = request.GET.get("status", InvoiceStatus.REQUESTED)
    if status in InvoiceStatus.values:
        invoices = invoices.filter(status=status)
    page = Paginator(invoices.order_by("request__requested_at", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "invoicing/dashboard/invoice_list.html",
        {"page": page, "status": status, "statuses": InvoiceStatus.choices, "form": InvoiceIssueForm()},
    )


@permissions_required(MAY_ISSUE)
@require_POST
def invoice_issue(request, pk):
    invoice = selectors.invoices_to_issue(request.user).filter(pk=pk).first()
    if invoice is None:
        raise Http404
    form = InvoiceIssueForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("invoicing-dashboard:invoice-list")
    data = form.cleaned_data
    try:
        if request.POST.get("action") == "sent":
            services.invoice_mark_sent(
                invoice=invoice,
                user=request.user,
                number=data["number"],
                issued_on=data["issued_on"],
                note=data["sent_note"],
                amount=data["amount"],
            )
        else:
            services.invoice_upload(
                invoice=invoice,
                user=request.user,
                upload=data["file"],
                number=data["number"],
                issued_on=data["issued_on"],
                amount=data["amount"],
            )
    except services.InvoiceError as error:
        _messages_of(request, error)
    else:
        messages.success(request, _("Invoice %(number)s is recorded.") % {"number": data["number"]})
    return redirect("invoicing-dashboard:invoice-list")


# --- unit orders ---

MAY_FOLLOW_UNIT_ORDERS = ([REGISTER_PURCHASES], [CONFIRM_TRANSFERS], [ISSUE_OWN_INVOICES])
UNIT_ORDER_FILES = {"acceptance_photo": "acceptance_photo_name", "voucher": "voucher_name"}


def _unit_order(user, pk):
    unit_order = selectors.unit_orders_of(user).filter(pk=pk).first()
    if unit_order is None:
        raise Http404
    return unit_order


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
def unit_order_list(request):
    unit_orders = selectors.unit_orders_of(request.user)
    status = request.GET.get("status", "")
    if status in UnitOrderStatus.values:
        unit_orders = unit_orders.filter(status=status)
    page = Paginator(unit_orders.order_by("-opened_at", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "invoicing/dashboard/unit_order_list.html",
        {
            "page": page,
            # A supplier's staff see their own supplier's part of an order shared with other suppliers.
            "unit_orders": selectors.with_shown_amounts(request.user, page.object_list),
            "status": status,
            "statuses": UnitOrderStatus.choices,
            "today": timezone.localdate(),
        },
    )


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
def unit_order_detail(request, pk):
    unit_order = _unit_order(request.user, pk)
    # A supplier sharing the order with others sees its own lines, invoice and amount only.
    part = selectors.unit_order_part(user=request.user, unit_order=unit_order)
    return render(
        request,
        "invoicing/dashboard/unit_order_detail.html",
        {
            "unit_order": unit_order,
            "part": part,
            "lines": part.lines,
            "invoices": part.invoices,
            "may_accept": part.member and unit_order.status == UnitOrderStatus.AWAITING_ACCEPTANCE,
            "may_pay": part.member and unit_order.status == UnitOrderStatus.INVOICED,
            "may_confirm": unit_order.status == UnitOrderStatus.PAYMENT_SUBMITTED
            and services.may_confirm_payment(request.user, unit_order),
            "acceptance_form": AcceptanceForm(),
            "voucher_form": VoucherForm(),
            "changes": unit_order.status_changes.select_related("changed_by"),
            # An order sent to many addresses is accepted against what each recipient received.
            "recipients": part.recipients,
        },
    )


def _back(unit_order):
    return redirect("invoicing-dashboard:unit-order-detail", pk=unit_order.pk)


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
@require_POST
def unit_order_accept(request, pk):
    unit_order = _unit_order(request.user, pk)
    form = AcceptanceForm(request.POST, request.FILES)
    form.is_valid()
    quantities = {key.removeprefix("line_"): value for key, value in request.POST.items() if key.startswith("line_")}
    try:
        services.unit_order_accept(
            unit_order=unit_order,
            user=request.user,
            quantities=quantities,
            note=form.cleaned_data.get("note", ""),
            photo=form.cleaned_data.get("photo"),
        )
    except services.InvoiceError as error:
        _messages_of(request, error)
    else:
        messages.success(request, _("The acceptance is recorded; the supplier can now issue the invoice."))
    return _back(unit_order)


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
@require_POST
def unit_order_voucher(request, pk):
    unit_order = _unit_order(request.user, pk)
    try:
        services.unit_order_submit_payment(
            unit_order=unit_order, user=request.user, voucher=request.FILES.get("voucher")
        )
    except services.InvoiceError as error:
        _messages_of(request, error)
    else:
        messages.success(request, _("The payment voucher is uploaded; the payment will be confirmed."))
    return _back(unit_order)


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
@require_POST
def unit_order_confirm(request, pk):
    unit_order = _unit_order(request.user, pk)
    try:
        services.unit_order_confirm_payment(unit_order=unit_order, user=request.user)
    except services.InvoiceError as error:
        _messages_of(request, error)
    else:
        messages.success(request, _("The payment is confirmed; the order is settled."))
    return _back(unit_order)


@permissions_required(MAY_FOLLOW_UNIT_ORDERS)
def unit_order_file(request, pk, field):
    if field not in UNIT_ORDER_FILES:
        raise Http404
    unit_order = _unit_order(request.user, pk)
    if not selectors.unit_order_file_visible(user=request.user, unit_order=unit_order):
        # The photo and the voucher cover every supplier's goods; a supplier sharing the order does not get them.
        raise Http404
    return private_file_response(getattr(unit_order, field), original_name=getattr(unit_order, UNIT_ORDER_FILES[field]))


@permission_required(VIEW_OFFICE_DASHBOARD)
def overdue_payments(request):
    if request.user.region_id is None:
        raise PermissionDenied(_("Your account has no jurisdiction to review."))
    return render(
        request,
        "invoicing/dashboard/overdue.html",
        {"rows": selectors.overdue_by_unit(region=request.user.region), "region": request.user.region},
    )
