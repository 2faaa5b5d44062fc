from django import template

from accounts import roles
from cms.models import GuidePage

register = template.Library()

ROLE_AUDIENCE = [
    (roles.SUPPLIER, GuidePage.SUPPLIER),
    (roles.UNIT, GuidePage.UNIT),
    (roles.VILLAGE, GuidePage.REPORTING),
    (roles.TOWNSHIP, GuidePage.REPORTING),
    (roles.COUNTY, GuidePage.REPORTING),
    (roles.CITY, GuidePage.REPORTING),
]


@register.simple_tag
def role_guide(user):
    """The published guide for the user's back-office role, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    names = set(user.groups.values_list("name", flat=True))
    for role, audience in ROLE_AUDIENCE:
        if role in names:
            return GuidePage.objects.live().filter(audience=audience).first()
    return None


@register.simple_tag
def site_chrome():
    from cms.chrome import site_chrome as chrome

    return chrome()
