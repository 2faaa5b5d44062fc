"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import CONFIRM_TRANSFERS, FULFIL_OWN_PARCELS, REFUND_ORDERS


def fulfilment_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(FULFIL_OWN_PARCELS)


def payments_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(CONFIRM_TRANSFERS) or user.has_perm(REFUND_ORDERS)


NAVIGATION = [
    {
        "label": _("Orders to ship"),
        "icon": "fas fa-truck",
        "url_name": "dashboard:order-fulfilment-list",
        "access_fn": fulfilment_access,
    },
    {
        "label": _("Payments"),
        "icon": "fas fa-money-check",
        "url_name": "dashboard:order-payments",
        "access_fn": payments_access,
    },
]
