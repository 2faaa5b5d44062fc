"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import ISSUE_ALL_INVOICES, ISSUE_OWN_INVOICES


def invoices_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(ISSUE_OWN_INVOICES) or user.has_perm(ISSUE_ALL_INVOICES)


NAVIGATION = [
    {
        "label": _("Invoices"),
        "icon": "fas fa-receipt",
        "url_name": "invoicing-dashboard:invoice-list",
        "access_fn": invoices_access,
    },
]
