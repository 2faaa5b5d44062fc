"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    CONFIRM_TRANSFERS,
    ISSUE_ALL_INVOICES,
    ISSUE_OWN_INVOICES,
    REGISTER_PURCHASES,
    VIEW_OFFICE_DASHBOARD,
)


def invoices_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(ISSUE_OWN_INVOICES) or user.has_perm(ISSUE_ALL_INVOICES)


def unit_orders_access(user, url_name, url_args=None, url_kwargs=None):
    return any(user.has_perm(p) for p in (REGISTER_PURCHASES, CONFIRM_TRANSFERS, ISSUE_OWN_INVOICES))


def overdue_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_OFFICE_DASHBOARD) and user.region_id is not None


NAVIGATION = [
    {
        "label": _("Invoices"),
        "icon": "fas fa-receipt",
        "url_name": "invoicing-dashboard:invoice-list",
        "access_fn": invoices_access,
    },
    {
        "label": _("Unit orders: acceptance and payment"),
        "icon": "fas fa-clipboard-check",
        "url_name": "invoicing-dashboard:unit-order-list",
        "access_fn": unit_orders_access,
    },
    {
        "label": _("Overdue payments to suppliers"),
        "icon": "fas fa-exclamation-triangle",
        "url_name": "invoicing-dashboard:overdue-payments",
        "access_fn": overdue_access,
    },
]
