"""The buyer's invoice pages (request, download) and the back office's list where suppliers issue them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from accounts.permissions import ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES, permissions_required
from shop.invoicing import selectors, services
from shop.invoicing.forms import InvoiceIssueForm, InvoiceRequestForm
from shop.invoicing.models import InvoiceRequest, InvoiceStatus
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
            )
        else:
            services.invoice_upload(
                invoice=invoice,
                user=request.user,
                upload=data["file"],
                number=data["number"],
                issued_on=data["issued_on"],
            )
    except services.InvoiceError as error:
        _messages_of(request, error)
    else:
        messages.success(request, _("Invoice %(number)s is recorded.") % {"number": data["number"]})
    return redirect("invoicing-dashboard:invoice-list")
