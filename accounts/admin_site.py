"""Django's admin edits any row of any model, so it is for superusers; staff work in the back office."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SuperuserAdminSite"
