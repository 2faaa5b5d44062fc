"""Writes on invoices: the buyer's request, the supplier's (or the platform's) PDF or paper invoice."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.errors import BadRequest
from accounts.permissions import ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES
from shop.invoicing.models import Invoice, InvoiceRequest, InvoiceStatus, TitleKind
from shop.order import statuses
from suppliers.credit_code import is_valid_credit_code
from suppliers.evidence import PDF, verify_upload
from suppliers.private_files import attach_private_upload

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")

TAX_NUMBER = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{18}$|^[0-9A-Z]{20}$")
# An invoice is for goods the buyer pays for: not for an order never paid, cancelled or wholly refunded.
INVOICEABLE = (*statuses.FULFILLABLE, statuses.DELIVERED)


class InvoiceError(BadRequest, ValidationError):
    """An invoice change that is not allowed; the message says why."""


def clean_tax_number(value):
    """The taxpayer number in capitals, or InvoiceError: 15, 18 or 20 digits or capitals, and an 18-character one (the
    unified social credit code) with its check character right."""
    number = (value or "").strip().upper()
    if not TAX_NUMBER.match(number):
        raise InvoiceError({"tax_number": _("A taxpayer number has 15, 18 or 20 digits or capital letters.")})
    if len(number) == 18 and not is_valid_credit_code(number):
        raise InvoiceError(
            {"tax_number": _("The check character of this taxpayer number is wrong: please copy it again.")}
        )
    return number


def supplier_amounts(order):
    """{partner id: its lines and its shipping} for one order, in two grouped queries."""
    amounts = dict(
        Line.objects.filter(order=order)
        .exclude(status=statuses.CANCELLED)
        .values_list("partner")
        .annotate(total=Sum("line_price_incl_tax"))
        .order_by()
    )
    for partner_id, charge in Shipment.objects.filter(order=order).values_list("partner_id", "shipping_charge"):
        if partner_id in amounts:
            amounts[partner_id] += charge
    return amounts


def _create(*, order, user, title_kind, title, tax_number, email):
    request = InvoiceRequest(
        order=order, title_kind=title_kind, title=title, tax_number=tax_number, email=email, requested_by=user
    )
    request.full_clean()
    request.save()
    for partner_id, amount in sorted(supplier_amounts(order).items()):
        if partner_id:
            Invoice.objects.create(request=request, partner_id=partner_id, amount=amount)
    return request


def invoice_request(*, order, user, title_kind, title, tax_number="", email=""):
    """The buyer asks for invoices for an order (at checkout or after): one per supplier of the order."""
    if order.user_id != user.pk:
        raise PermissionDenied(_("You may only ask for invoices for your own orders."))
    title = (title or "").strip()
    errors = {}
    if title_kind not in TitleKind.values:
        errors["title_kind"] = _("Choose whether the invoice is for an individual or a company.")
    if not title:
        errors["title"] = _("Enter the invoice title: your name, or the company's full name.")
    if title_kind == TitleKind.COMPANY:
        try:
            tax_number = clean_tax_number(tax_number)
        except InvoiceError as error:
            errors.update(error.message_dict)
    else:
        tax_number = ""
    if errors:
        raise InvoiceError(errors)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if InvoiceRequest.objects.filter(order=order).exists():
            raise InvoiceError(_("An invoice has already been requested for this order."))
        if order.status not in INVOICEABLE:
            raise InvoiceError(
                _("Order %(number)s is “%(status)s”; an invoice can be requested once it is paid.")
                % {"number": order.number, "status": order.status_label}
            )
        return _create(order=order, user=user, title_kind=title_kind, title=title, tax_number=tax_number, email=email)


def invoice_request_from_checkout(*, order):
    """A unit's order carries the title and taxpayer number checked at checkout: its invoices are requested at once."""
    if not order.invoice_title or InvoiceRequest.objects.filter(order=order).exists():
        return None
    return _create(
        order=order,
        user=order.user,
        title_kind=TitleKind.COMPANY if order.invoice_tax_number else TitleKind.PERSON,
        title=order.invoice_title,
        tax_number=order.invoice_tax_number,
        email="",
    )


def may_issue(user, invoice):
    if user.has_perm(ISSUE_ALL_INVOICES):
        return True
    return user.has_perm(ISSUE_OWN_INVOICES) and invoice.partner.users.filter(pk=user.pk).exists()


def _check_issue(*, invoice, user, number, issued_on):
    if not may_issue(user, invoice):
        raise PermissionDenied(_("Only the supplier of these goods or the platform issues this invoice."))
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Enter the invoice number.")
    if issued_on is None:
        errors["issued_on"] = _("Enter the date of the invoice.")
    elif issued_on > timezone.localdate():
        errors["issued_on"] = _("The date of the invoice cannot be in the future.")
    return number, errors


def invoice_upload(*, invoice, user, upload, number, issued_on):
    """The supplier (or the platform) uploads the invoice PDF; the buyer can then download it."""
    number, errors = _check_issue(invoice=invoice, user=user, number=number, issued_on=issued_on)
    file_type = None
    if upload is None:
        errors["file"] = _("Choose the invoice PDF.")
    else:
        try:
            file_type = verify_upload(upload, allowed=(PDF,), max_bytes=settings.CERTIFICATION_EVIDENCE_MAX_BYTES)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise InvoiceError(errors)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != InvoiceStatus.REQUESTED:
            raise InvoiceError(_("This invoice has already been issued."))
        invoice.number, invoice.issued_on = number, issued_on
        attach_private_upload(invoice, "file", upload, file_type)
        invoice.set_status(to=InvoiceStatus.ISSUED, by=user, reason=number)
    return invoice


def invoice_mark_sent(*, invoice, user, number, issued_on, note):
    """A paper invoice (or one sent by other means) is recorded with its number and how it went."""
    number, errors = _check_issue(invoice=invoice, user=user, number=number, issued_on=issued_on)
    note = (note or "").strip()
    if not note:
        errors["sent_note"] = _("Say how the invoice was sent, for example the courier and tracking number.")
    if errors:
        raise InvoiceError(errors)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != InvoiceStatus.REQUESTED:
            raise InvoiceError(_("This invoice has already been issued."))
        invoice.number, invoice.issued_on, invoice.sent_note = number, issued_on, note[:255]
        invoice.set_status(to=InvoiceStatus.SENT, by=user, reason=note)
    return invoice
