"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts import roles


def certification_access(user, url_name, url_args=None, url_kwargs=None):
    return user.is_superuser or user.groups.filter(name__in=[roles.COUNTY, roles.CITY, roles.SUPPLIER]).exists()


def apply_access(user, url_name, url_args=None, url_kwargs=None):
    return user.groups.filter(name=roles.SUPPLIER).exists()


NAVIGATION = [
    {
        "label": _("Certification"),
        "icon": "fas fa-certificate",
        "access_fn": certification_access,
        "children": [
            {
                "label": _("Certifications"),
                "url_name": "suppliers-dashboard:certification-list",
                "access_fn": certification_access,
            },
            {
                "label": _("Change requests"),
                "url_name": "suppliers-dashboard:change-request-list",
                "access_fn": certification_access,
            },
            {
                "label": _("Apply for a product"),
                "url_name": "suppliers-dashboard:product-apply",
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
