"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import BACK_OFFICE, RETRY_TASKS


def todo_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(BACK_OFFICE)


def failed_tasks_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(RETRY_TASKS)


NAVIGATION = [
    {"label": _("To do"), "icon": "fas fa-tasks", "url_name": "workbench:todo", "access_fn": todo_access},
    {
        "label": _("Failed background tasks"),
        "icon": "fas fa-exclamation-triangle",
        "url_name": "workbench:failed-tasks",
        "access_fn": failed_tasks_access,
    },
]
