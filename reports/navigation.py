"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import REGISTER_PURCHASES, VIEW_OFFICE_DASHBOARD, VIEW_PURCHASE_RECORDS, VIEW_REPORTS


def records_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_PURCHASE_RECORDS)


def entry_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(REGISTER_PURCHASES)


def reports_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_REPORTS)


def office_access(user, url_name, url_args=None, url_kwargs=None):
    # The dashboard shows an office's jurisdiction; an account without one is not offered it.
    return user.has_perm(VIEW_OFFICE_DASHBOARD) and user.region_id is not None


NAVIGATION = [
    {
        "label": _("Poverty-alleviation purchases"),
        "icon": "fas fa-chart-bar",
        "access_fn": records_access,
        "children": [
            {"label": _("Office dashboard"), "url_name": "reports-dashboard:office", "access_fn": office_access},
            {"label": _("Purchase records"), "url_name": "reports-dashboard:record-list", "access_fn": records_access},
            {"label": _("Record a purchase"), "url_name": "reports-dashboard:record-create", "access_fn": entry_access},
            {"label": _("Import a spreadsheet"), "url_name": "reports-dashboard:import", "access_fn": entry_access},
            {
                "label": _("Half-month reports"),
                "url_name": "reports-dashboard:report-list",
                "access_fn": reports_access,
            },
        ],
    }
]
