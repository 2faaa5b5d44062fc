from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from accounts import roles
from accounts.models import User
from regions.models import Region

DEMO_PASSWORD = "demo-pass-2020"

# e-mail -> (role group, name, jurisdiction code or None)
DEMO_ACCOUNTS = {
    "buyer@demo.cn": (roles.BUYER, "李爱心", None),
    "supplier@demo.cn": (roles.SUPPLIER, "向茶农", None),
    "unit@demo.cn": (roles.UNIT, "王采购", None),
    "village@demo.cn": (roles.VILLAGE, "田登记", "430822101202"),
    "township@demo.cn": (roles.TOWNSHIP, "覃乡镇", "430822101000"),
    "county@demo.cn": (roles.COUNTY, "张审核", "430822000000"),
    "city@demo.cn": (roles.CITY, "刘市办", "430800000000"),
    "editor@demo.cn": (roles.EDITOR, "陈编辑", None),
    "moderator@demo.cn": (roles.MODERATOR, "周审稿", None),
    "operator@demo.cn": (roles.OPERATOR, "吴运营", None),
    "admin@demo.cn": (None, "管理员", None),
}


def load():
    users = {}
    for email, (role, name, region_code) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
            user.set_password(DEMO_PASSWORD)
        user.first_name = name
        user.region = Region.objects.get(code=region_code) if region_code else None
        # Oscar's order pages show staff every order and others only their suppliers' orders; what anyone may open is
        # decided by permissions, so staff status is the operator's scope and nobody's key.
        user.is_staff = role == roles.OPERATOR or email == "admin@demo.cn"
        user.is_superuser = email == "admin@demo.cn"
        user.save()
        groups = [Group.objects.get(name=role)] if role else []
        if role in (roles.EDITOR, roles.MODERATOR):
            # Wagtail's own editor group gives page permissions; its moderators also approve and publish.
            wagtail_group = "Moderators" if role == roles.MODERATOR else "Editors"
            groups += list(Group.objects.filter(name=wagtail_group))
            # Wagtail's admin, and the rich-text toolbar with it, speak the editor's chosen language.
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "zh-hans"
            profile.save(update_fields=["preferred_language"])
        # Set, not added to: a demo account that changed role in a newer version loses the old one on reload.
        user.groups.set(groups)
        users[email] = user
    return users
