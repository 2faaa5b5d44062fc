"""Django's admin edits any row of any model, so it is for superusers; staff work in the back office."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SuperuserAdminSite"


BOOLEAN_ICONS = {True: ("yes", _("Yes")), False: ("no", _("No")), None: ("unknown", _("Unknown"))}


def boolean_column(name, description):
    """A list column for the yes/no field `name`, headed `description` (the field's own name): Django's icon, whose
    text (for screen readers, and shown where the image does not load) is in the page's language; Django's own column
    writes True or False whatever the language."""

    @admin.display(description=description, ordering=name)
    def column(obj):
        icon, text = BOOLEAN_ICONS[getattr(obj, name)]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    # Django names the column's cells and heading after the function (field-is_staff, column-is_staff).
    column.__name__ = name
    return column
