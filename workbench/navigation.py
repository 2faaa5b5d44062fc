"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import BACK_OFFICE


def todo_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(BACK_OFFICE)


NAVIGATION = [
    {"label": _("To do"), "icon": "fas fa-tasks", "url_name": "workbench:todo", "access_fn": todo_access},
]
