from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.roles import ensure_role_groups

        # Sent for every app: the permissions a role needs exist only once the app that defines them has migrated
        # (the partner app comes after this one), so the groups are completed as those apps report in.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        # After django.contrib.sites has made its "example.com" site (its app and receiver come first).
        from accounts.site import site_from_settings

        post_migrate.connect(site_from_settings, dispatch_uid="accounts.site_from_settings")
