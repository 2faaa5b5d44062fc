"""Writes on invoices: the buyer's request, the supplier's (or the platform's) PDF or paper invoice."""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts import roles
from accounts.errors import BadRequest
from accounts.permissions import CONFIRM_TRANSFERS, ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES
from shop.invoicing.models import (
    AcceptedLine,
    Invoice,
    InvoiceRequest,
    InvoiceStatus,
    TitleKind,
    UnitOrder,
    UnitOrderStatus,
)
from shop.order import statuses
from shop.order.services import order_mark_paid
from suppliers.credit_code import is_valid_credit_code
from suppliers.evidence import PDF, RECEIPT_TYPES, verify_upload
from suppliers.private_files import attach_private_upload

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")

INVOICE_NUMBER = re.compile(r"[0-9A-Za-z-]{1,32}")
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{18}$|^[0-9A-Z]{20}$")
# An invoice is for goods the buyer pays for: not for an order never paid, cancelled or wholly refunded.
# Paid (or cash on delivery) and not cancelled: up to and after the buyer confirms receipt.
INVOICEABLE = (*statuses.FULFILLABLE, statuses.DELIVERED, statuses.RECEIVED)


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
    title, tax_number = invoice_title_clean(title_kind=title_kind, title=title, tax_number=tax_number)
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


def invoice_title_clean(*, title_kind, title, tax_number=""):
    """(title, taxpayer number) as they will be written on the invoice, or InvoiceError naming each wrong field: a
    person needs a name, a company its full name and a valid taxpayer number."""
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
    return title, tax_number


def invoice_request_at_checkout(*, order, user, title_kind, title, tax_number="", email=""):
    """A buyer who ticked 需要发票 at checkout: the request is made with the order, before it is paid, and the
    suppliers issue the invoices once it is. Called inside the placement's transaction, so a refusal places nothing."""
    if user is None or not user.is_authenticated or order.user_id != user.pk:
        raise PermissionDenied(_("You may only ask for invoices for your own orders."))
    title, tax_number = invoice_title_clean(title_kind=title_kind, title=title, tax_number=tax_number)
    if InvoiceRequest.objects.filter(order=order).exists():
        raise InvoiceError(_("An invoice has already been requested for this order."))
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
    elif not INVOICE_NUMBER.fullmatch(number):
        # It goes into the subject of the buyer's e-mail, where a line break would make the message unsendable.
        errors["number"] = _("An invoice number has only digits, letters and hyphens.")
    order = invoice.request.order
    if order.unit_id is None and order.status not in INVOICEABLE:
        # Asked for at checkout, before payment: issued once the buyer has paid, never for a cancelled order. A
        # unit's order is invoiced after its acceptance instead (check_unit_invoice).
        raise InvoiceError(
            _("Order %(number)s is “%(status)s”; its invoice is issued once the order is paid.")
            % {"number": order.number, "status": order.status_label}
        )
    if issued_on is None:
        errors["issued_on"] = _("Enter the date of the invoice.")
    elif issued_on > timezone.localdate():
        errors["issued_on"] = _("The date of the invoice cannot be in the future.")
    return number, errors


def invoice_upload(*, invoice, user, upload, number, issued_on, amount=None):
    """The supplier (or the platform) uploads the invoice PDF; the buyer can then download it. A unit's order is
    invoiced after acceptance, for the accepted amount."""
    number, errors = _check_issue(invoice=invoice, user=user, number=number, issued_on=issued_on)
    unit_order = check_unit_invoice(invoice=invoice, amount=amount)
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
        unit_order_follow_invoices(unit_order=unit_order, user=user)
        transaction.on_commit(lambda: invoice_notify_buyer(invoice_id=invoice.pk))
    return invoice


def invoice_notify_buyer(*, invoice_id):
    """Tell the buyer (and the address given for invoices) that an invoice can be downloaded; the mail is queued."""
    invoice = Invoice.objects.select_related("request__order__user", "partner").get(pk=invoice_id)
    order = invoice.request.order
    recipients = sorted({email for email in (invoice.request.email, order.user.email if order.user else "") if email})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Invoice %(number)s for order %(order)s") % {"number": invoice.number, "order": order.number},
            message=_(
                "%(supplier)s has issued invoice %(number)s (¥%(amount)s) for your order %(order)s. "
                "Download it from the order's page under My orders."
            )
            % {
                "supplier": invoice.partner.display_name,
                "number": invoice.number,
                "amount": invoice.amount,
                "order": order.number,
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )


def invoice_mark_sent(*, invoice, user, number, issued_on, note, amount=None):
    """A paper invoice (or one sent by other means) is recorded with its number and how it went."""
    number, errors = _check_issue(invoice=invoice, user=user, number=number, issued_on=issued_on)
    unit_order = check_unit_invoice(invoice=invoice, amount=amount)
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
        unit_order_follow_invoices(unit_order=unit_order, user=user)
    return invoice


# --- unit orders: acceptance, invoice against the accepted amount, voucher, confirmation ---

CENT = Decimal("0.01")


def _members_only(user, unit_order):
    if not unit_order.unit.members.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only the unit's own members act on its orders."))


def unit_order_open(*, order):
    """A unit's order whose lines are all delivered waits for the unit's acceptance (待验收); once."""
    if not order.unit_id:
        return None
    if order.lines.exclude(status__in=[statuses.DELIVERED, statuses.CANCELLED, statuses.REFUNDED]).exists():
        return None
    unit_order, _created = UnitOrder.objects.get_or_create(order=order, defaults={"unit_id": order.unit_id})
    return unit_order


def unit_order_accept(*, unit_order, user, quantities, note="", photo=None):
    """The unit records what it received per line (partial acceptance allowed), with a note or a photo."""
    _members_only(user, unit_order)
    note = (note or "").strip()
    lines = list(Line.objects.filter(order_id=unit_order.order_id).exclude(status=statuses.CANCELLED).order_by("pk"))
    errors = {}
    received = {}
    for line in lines:
        try:
            quantity = int(quantities.get(line.pk, quantities.get(str(line.pk), line.quantity)))
        except (TypeError, ValueError):
            quantity = -1
        if not 0 <= quantity <= line.quantity:
            errors[f"line_{line.pk}"] = _("Enter a quantity received between 0 and %(n)s for %(title)s.") % {
                "n": line.quantity,
                "title": line.title,
            }
        received[line.pk] = quantity
    if not note and photo is None:
        errors["note"] = _("Write a note or add a photo of what was received.")
    file_type = None
    if photo is not None:
        try:
            file_type = verify_upload(photo, allowed=RECEIPT_TYPES, max_bytes=settings.CERTIFICATION_EVIDENCE_MAX_BYTES)
        except ValidationError as error:
            errors["photo"] = error.messages
    if errors:
        raise InvoiceError(errors)
    with transaction.atomic():
        unit_order = UnitOrder.objects.select_for_update().get(pk=unit_order.pk)
        if unit_order.status != UnitOrderStatus.AWAITING_ACCEPTANCE:
            raise InvoiceError(_("This order has already been accepted."))
        by_partner = {}
        for line in lines:
            amount = (line.unit_price_incl_tax * received[line.pk]).quantize(CENT, rounding=ROUND_HALF_UP)
            AcceptedLine.objects.create(
                unit_order=unit_order, line=line, quantity_received=received[line.pk], amount=amount
            )
            by_partner[line.partner_id] = by_partner.get(line.partner_id, Decimal("0.00")) + amount
        # A supplier whose goods were accepted is owed its shipping too; one whose goods were all refused is not.
        for partner_id, charge in Shipment.objects.filter(order_id=unit_order.order_id).values_list(
            "partner_id", "shipping_charge"
        ):
            if by_partner.get(partner_id):
                by_partner[partner_id] += charge
        for invoice in Invoice.objects.filter(request__order_id=unit_order.order_id):
            invoice.amount = by_partner.get(invoice.partner_id, Decimal("0.00"))
            invoice.save(update_fields=["amount", "updated_at"])
        unit_order.accepted_at, unit_order.accepted_by = timezone.now(), user
        unit_order.acceptance_note = note
        unit_order.accepted_amount = sum(by_partner.values(), Decimal("0.00"))
        unit_order.payment_due_on = timezone.localdate() + timedelta(days=settings.UNIT_PAYMENT_DAYS)
        if photo is not None:
            attach_private_upload(unit_order, "acceptance_photo", photo, file_type)
        unit_order.set_status(to=UnitOrderStatus.ACCEPTED, by=user, reason=note)
    return unit_order


def check_unit_invoice(*, invoice, amount):
    """For a unit's order: an invoice is issued after acceptance, for exactly the accepted amount."""
    unit_order = UnitOrder.objects.filter(order_id=invoice.request.order_id).first()
    if unit_order is None:
        if invoice.request.order.unit_id:
            raise InvoiceError(_("The unit has not accepted the goods yet; the invoice follows the acceptance."))
        return None
    if unit_order.status != UnitOrderStatus.ACCEPTED:
        raise InvoiceError(_("The unit has not accepted the goods yet; the invoice follows the acceptance."))
    if amount is None or Decimal(amount).quantize(CENT) != invoice.amount:
        raise InvoiceError(
            {
                "amount": _("The invoice amount must equal the accepted amount, ¥%(accepted)s; ¥%(given)s was entered.")
                % {"accepted": invoice.amount, "given": amount if amount is not None else "—"}
            }
        )
    return unit_order


def unit_order_follow_invoices(*, unit_order, user):
    """Once every supplier's invoice is in, the unit order waits for payment."""
    if (
        unit_order is not None
        and not Invoice.objects.filter(request__order_id=unit_order.order_id, amount__gt=0)
        .exclude(status__in=[InvoiceStatus.ISSUED, InvoiceStatus.SENT])
        .exists()
    ):
        unit_order.set_status(to=UnitOrderStatus.INVOICED, by=user)


def unit_order_submit_payment(*, unit_order, user, voucher):
    """The unit paid by bank transfer and uploads the payment voucher (支付凭证)."""
    _members_only(user, unit_order)
    if voucher is None:
        raise InvoiceError({"voucher": _("Choose the payment voucher (a photo or a PDF of the transfer).")})
    try:
        file_type = verify_upload(voucher, allowed=RECEIPT_TYPES, max_bytes=settings.CERTIFICATION_EVIDENCE_MAX_BYTES)
    except ValidationError as error:
        raise InvoiceError({"voucher": error.messages})
    with transaction.atomic():
        unit_order = UnitOrder.objects.select_for_update().get(pk=unit_order.pk)
        if unit_order.status != UnitOrderStatus.INVOICED:
            raise InvoiceError(_("The payment voucher is uploaded once every invoice of the order has arrived."))
        attach_private_upload(unit_order, "voucher", voucher, file_type)
        unit_order.voucher_uploaded_at = timezone.now()
        unit_order.set_status(to=UnitOrderStatus.PAYMENT_SUBMITTED, by=user)
    return unit_order


def may_confirm_payment(user, unit_order):
    if user.has_perm(CONFIRM_TRANSFERS):
        return True
    partners = {line.partner_id for line in unit_order.order.lines.all()}
    return user.has_perm(ISSUE_OWN_INVOICES) and len(partners) == 1 and user.partners.filter(pk__in=partners).exists()


def unit_order_confirm_payment(*, unit_order, user):
    """The operator (or the order's only supplier) confirms the transfer arrived: the order is settled and paid."""
    if not may_confirm_payment(user, unit_order):
        raise PermissionDenied(_("Only the platform's operators or the order's supplier confirm a unit's payment."))
    with transaction.atomic():
        unit_order = UnitOrder.objects.select_for_update().get(pk=unit_order.pk)
        if unit_order.status != UnitOrderStatus.PAYMENT_SUBMITTED:
            raise InvoiceError(_("There is no payment voucher to confirm for this order."))
        order = unit_order.order
        if order.paid_at is None:
            order_mark_paid(
                order=order, amount=unit_order.accepted_amount, reference=order.transfer_reference or "", user=user
            )
        unit_order.settled_at = timezone.now()
        unit_order.set_status(to=UnitOrderStatus.SETTLED, by=user)
    return unit_order


def unit_orders_overdue_notify(*, today=None):
    """E-mail each unit's members and the county and city offices over it, once per order, when an accepted order's
    payment deadline has passed. Returns how many orders were raised."""
    from shop.invoicing.selectors import overdue_unit_orders

    User = get_user_model()
    overdue = list(
        overdue_unit_orders(today=today).filter(overdue_notified_at__isnull=True).select_related("unit__region")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for unit_order in overdue:
            region = unit_order.unit.region
            offices = [code.ljust(12, "0") for code in (region.code[:6], region.code[:4])]
            recipients = set(
                User.objects.filter(is_active=True)
                .filter(
                    Q(units=unit_order.unit) | Q(groups__name__in=[roles.COUNTY, roles.CITY], region__code__in=offices)
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if recipients:
                send_mail(
                    subject=_("Overdue: unit order %(order)s was due to be paid on %(due)s")
                    % {"order": unit_order.order.number, "due": f"{unit_order.payment_due_on:%Y-%m-%d}"},
                    message=_(
                        "%(unit)s accepted order %(order)s (¥%(amount)s) and was due to pay the supplier by %(due)s. "
                        "Please pay by bank transfer and upload the payment voucher in the back office."
                    )
                    % {
                        "unit": unit_order.unit.name,
                        "order": unit_order.order.number,
                        "amount": unit_order.accepted_amount,
                        "due": f"{unit_order.payment_due_on:%Y-%m-%d}",
                    },
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=sorted(recipients),
                )
            UnitOrder.objects.filter(pk=unit_order.pk).update(overdue_notified_at=timezone.now())
    return len(overdue)
