from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tables2 import BooleanColumn, Column, TemplateColumn
from oscar.apps.dashboard.users import tables


class UserTable(tables.UserTable):
    # Oscar heads the name column "Name" (from the column's own name, so never translated) and prints both flags as
    # True or False.
    name = Column(
        accessor="get_full_name",
        order_by=("last_name", "first_name"),
        verbose_name=pgettext_lazy("User's name", "Name"),
    )
    active = BooleanColumn(accessor="is_active", yesno=(_("Yes"), _("No")))
    staff = BooleanColumn(accessor="is_staff", yesno=(_("Yes"), _("No")))
    # Oscar's actions column is sortable, and sorting by it asks the database for a field that does not exist (500).
    actions = TemplateColumn(
        template_name="oscar/dashboard/users/user_row_actions.html", verbose_name=" ", orderable=False
    )

    # django-tables2 does not inherit Meta: without it the table loses Oscar's template, caption and styling.
    class Meta(tables.UserTable.Meta):
        pass
