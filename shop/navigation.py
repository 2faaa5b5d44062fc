"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _


def fulfilment_access(user, url_name, url_args=None, url_kwargs=None):
    return user.is_staff or user.partners.exists()


def staff_access(user, url_name, url_args=None, url_kwargs=None):
    return user.is_staff


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
        "access_fn": staff_access,
    },
]
