"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts import roles


def _holds(user, allowed):
    if user.is_superuser:
        return True
    return bool(set(user.groups.values_list("name", flat=True)) & allowed)


def records_access(user, url_name, url_args=None, url_kwargs=None):
    return _holds(user, {roles.UNIT, roles.VILLAGE, roles.TOWNSHIP, roles.COUNTY, roles.CITY, roles.SUPPLIER})


def entry_access(user, url_name, url_args=None, url_kwargs=None):
    return _holds(user, {roles.UNIT, roles.VILLAGE})


def reports_access(user, url_name, url_args=None, url_kwargs=None):
    return _holds(user, {roles.UNIT, roles.VILLAGE, roles.TOWNSHIP, roles.COUNTY, roles.CITY})


def office_access(user, url_name, url_args=None, url_kwargs=None):
    return _holds(user, {roles.COUNTY, roles.CITY})


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
