"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    ANSWER_CLAIMS,
    CONFIRM_TRANSFERS,
    DECIDE_CLAIMS,
    FULFIL_OWN_PARCELS,
    MANAGE_OWN_PRODUCTS,
    REFUND_ORDERS,
)


def fulfilment_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(FULFIL_OWN_PARCELS)


def payments_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(CONFIRM_TRANSFERS) or user.has_perm(REFUND_ORDERS)


def claims_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(ANSWER_CLAIMS) or user.has_perm(DECIDE_CLAIMS)


def review_answers_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(MANAGE_OWN_PRODUCTS)


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
    {
        "label": _("After-sales claims"),
        "icon": "fas fa-undo",
        "url_name": "aftersales-dashboard:claim-list",
        "access_fn": claims_access,
    },
    {
        "label": _("Reviews of our products"),
        "icon": "fas fa-star",
        "url_name": "review-answers:review-list",
        "access_fn": review_answers_access,
    },
]
