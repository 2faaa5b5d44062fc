"""Back office menu entries of this domain (see config.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import PAY_STATEMENTS, VIEW_OWN_STATEMENTS


def statements_access(user, url_name, url_args=None, url_kwargs=None):
    return user.has_perm(VIEW_OWN_STATEMENTS) or user.has_perm(PAY_STATEMENTS)


NAVIGATION = [
    {
        "label": _("Settlement statements"),
        "icon": "fas fa-file-invoice-dollar",
        "url_name": "settlement-dashboard:statement-list",
        "access_fn": statements_access,
    },
]
