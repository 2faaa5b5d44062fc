"""Back office menu entries of the units' reserved share (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.permissions import REGISTER_PURCHASES, VIEW_OFFICE_DASHBOARD, VIEW_REPORTS


def _roles(user):
    from reports.selectors import user_roles

    return user_roles(user)


def filings_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_REPORTS) and bool(_roles(user) & {roles.UNIT, roles.COUNTY, roles.CITY})


def unit_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(REGISTER_PURCHASES) and roles.UNIT in _roles(user)


def office_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_OFFICE_DASHBOARD) and user.region_id is not None


NAVIGATION = [
    {
        "label": _("Reserved share"),
        "icon": "fas fa-utensils",
        "access_fn": filings_access,
        "children": [
            {"label": _("Share filings"), "url_name": "procurement-dashboard:filing-list", "access_fn": filings_access},
            {"label": _("Execution"), "url_name": "procurement-dashboard:execution", "access_fn": office_access},
            {"label": _("Bulletins"), "url_name": "procurement-dashboard:bulletin-list", "access_fn": office_access},
            {"label": _("Gift vouchers"), "url_name": "procurement-dashboard:voucher-list", "access_fn": unit_access},
        ],
    }
]
