import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles
from accounts.permissions import ROLE_PERMISSIONS
from accounts.roles import ensure_role_groups

pytestmark = pytest.mark.django_db


def held(role):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_after_migrate_each_role_group_holds_exactly_its_listed_permissions():
    for role, permissions in ROLE_PERMISSIONS.items():
        assert held(role) == set(permissions), role


def test_a_permission_handed_to_a_role_group_by_hand_is_taken_back_at_the_next_migrate():
    editors = Group.objects.get(name=roles.EDITOR)
    editors.permissions.add(Permission.objects.get(content_type__app_label="partner", codename="dashboard_access"))
    ensure_role_groups()
    assert "partner.dashboard_access" not in held(roles.EDITOR)
    assert held(roles.EDITOR) == {"wagtailadmin.access_admin"}
