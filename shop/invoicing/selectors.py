"""Reads of invoices: who sees which."""

from accounts.permissions import ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES, VIEW_ALL_ORDERS
from shop.invoicing.models import Invoice


def invoices_to_issue(user):
    """The invoices a supplier's staff issue (their supplier's), or every one for the platform."""
    invoices = Invoice.objects.select_related("request__order", "partner", "request")
    if user.has_perm(ISSUE_ALL_INVOICES):
        return invoices
    if user.has_perm(ISSUE_OWN_INVOICES):
        return invoices.filter(partner__users=user)
    return invoices.none()


def invoice_for_download(user, pk):
    """The invoice if this person may download it (the buyer of the order, its supplier, the platform), else None."""
    invoice = Invoice.objects.select_related("request__order", "partner").filter(pk=pk).first()
    if invoice is None or not user.is_authenticated:
        return None
    if invoice.request.order.user_id == user.pk:
        return invoice
    if user.has_perm(ISSUE_ALL_INVOICES) or user.has_perm(VIEW_ALL_ORDERS):
        return invoice
    if user.has_perm(ISSUE_OWN_INVOICES) and invoice.partner.users.filter(pk=user.pk).exists():
        return invoice
    return None


def invoices_to_issue_count(*, user):
    return invoices_to_issue(user).filter(status="requested").count()
