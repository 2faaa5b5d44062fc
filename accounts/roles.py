"""The roles of the platform as auth groups, created after every migrate.

The group names are stable identifiers (the UI shows the translated label); what each role may do is in
accounts.permissions.
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
MODERATOR = "moderator"
OPERATOR = "operator"

ROLE_LABELS = {
    BUYER: _("Buyer"),
    SUPPLIER: _("Supplier staff"),
    UNIT: _("Unit purchaser"),
    VILLAGE: _("Village clerk"),
    TOWNSHIP: _("Township clerk"),
    COUNTY: _("County office reviewer"),
    CITY: _("City office reviewer"),
    EDITOR: _("Editor"),
    MODERATOR: _("Moderator"),
    OPERATOR: _("Platform operator (orders and payments)"),
}


def ensure_role_groups(app_config=None, **kwargs):
    """Give each role group exactly the permissions its role lists, as far as they exist yet."""
    from django.contrib.auth.models import Group, Permission

    from accounts.permissions import ROLE_PERMISSIONS

    labels = {dotted.split(".")[0] for codenames in ROLE_PERMISSIONS.values() for dotted in codenames}
    if app_config is not None and app_config.label not in labels | {"accounts"}:
        return

    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [dotted.split(".") for dotted in dotted_names]
        found = [
            permission
            for app_label, codename in wanted
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        ]
        group.permissions.set(found)
