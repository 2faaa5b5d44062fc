"""The roles of the platform as auth groups, created after every migrate.

Each domain adds the permissions its role needs to ROLE_PERMISSIONS; the group names are
stable identifiers (the UI shows the translated label).
"""

from django.utils.translation import gettext_lazy as _

BUYER = "buyer"
SUPPLIER = "supplier"
UNIT = "unit"
VILLAGE = "village"
TOWNSHIP = "township"
COUNTY = "county"
CITY = "city"
EDITOR = "editor"

ROLE_LABELS = {
    BUYER: _("Buyer"),
    SUPPLIER: _("Supplier staff"),
    UNIT: _("Unit purchaser"),
    VILLAGE: _("Village clerk"),
    TOWNSHIP: _("Township clerk"),
    COUNTY: _("County office reviewer"),
    CITY: _("City office reviewer"),
    EDITOR: _("Editor"),
}

# Every back-office role may open Oscar's dashboard; what each sees inside is scoped by the views.
DASHBOARD_ACCESS = "partner.dashboard_access"

ROLE_PERMISSIONS = {
    BUYER: [],
    SUPPLIER: [DASHBOARD_ACCESS],
    UNIT: [DASHBOARD_ACCESS],
    VILLAGE: [DASHBOARD_ACCESS],
    TOWNSHIP: [DASHBOARD_ACCESS],
    COUNTY: [DASHBOARD_ACCESS],
    CITY: [DASHBOARD_ACCESS],
    EDITOR: ["wagtailadmin.access_admin"],
}


def ensure_role_groups(app_config=None, **kwargs):
    from django.contrib.auth.models import Group, Permission

    labels = {dotted.split(".")[0] for codenames in ROLE_PERMISSIONS.values() for dotted in codenames}
    if app_config is not None and app_config.label not in labels | {"accounts"}:
        return

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
