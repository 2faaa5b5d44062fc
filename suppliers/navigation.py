"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.permissions import (
    APPLY_CERTIFICATION,
    CHECK_CERTIFICATIONS,
    REVIEW_CERTIFICATIONS,
    VIEW_CERTIFICATIONS,
    VIEW_OFFICE_DASHBOARD,
)


def certification_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_CERTIFICATIONS)


def menu_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_CERTIFICATIONS) or user.has_perm(CHECK_CERTIFICATIONS)


def township_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(CHECK_CERTIFICATIONS) and not user.is_superuser


def price_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_OFFICE_DASHBOARD) and user.region_id is not None


def batch_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(REVIEW_CERTIFICATIONS) and not user.is_superuser


def apply_access(user, url_name, url_args=None, url_kwargs=None):
    # The pages work on the person's own supplier: an administrator, who has none, is not offered them.
    return user.has_perm(APPLY_CERTIFICATION) and (not user.is_superuser or user.partners.exists())


def change_request_access(user, url_name, url_args=None, url_kwargs=None):
    # The list shows a supplier's own requests or an office's county's; every role holding the permission has one,
    # an administrator only through such a role.
    if not user.has_perm(VIEW_CERTIFICATIONS):
        return False
    return not user.is_superuser or user.groups.filter(name__in=[roles.SUPPLIER, roles.COUNTY, roles.CITY]).exists()


NAVIGATION = [
    {
        "label": _("Certification"),
        "icon": "fas fa-certificate",
        "access_fn": menu_access,
        "children": [
            {
                "label": _("Certifications"),
                "url_name": "suppliers-dashboard:certification-list",
                "access_fn": certification_access,
            },
            {
                "label": _("Township first check"),
                "url_name": "suppliers-dashboard:township-queue",
                "access_fn": township_access,
            },
            {
                "label": _("Catalogue batches"),
                "url_name": "suppliers-dashboard:batch-list",
                "access_fn": batch_access,
            },
            {
                "label": _("Honest prices"),
                "url_name": "suppliers-dashboard:price-list",
                "access_fn": price_access,
            },
            {
                "label": _("Change requests"),
                "url_name": "suppliers-dashboard:change-request-list",
                "access_fn": change_request_access,
            },
            {
                "label": _("Apply for a product"),
                "url_name": "suppliers-dashboard:product-apply",
                "access_fn": apply_access,
            },
            {
                "label": _("Household linkage"),
                "url_name": "suppliers-dashboard:household-linkage",
                "access_fn": apply_access,
            },
            {
                "label": _("Supplier profile"),
                "url_name": "suppliers-dashboard:profile",
                "access_fn": apply_access,
            },
        ],
    }
]
