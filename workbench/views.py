"""The back office's landing page: for each role the person holds, what waits for them (待办)."""

from django.shortcuts import render
from django.utils import timezone

from accounts import roles
from accounts.permissions import BACK_OFFICE, REVIEW_CERTIFICATIONS, permission_required
from regions.models import TOWNSHIP, VILLAGE
from reports.selectors import office_region, user_roles
from workbench import selectors

REVIEWER_ROLES = {roles.COUNTY, roles.CITY}
TEMPLATES = {
    roles.SUPPLIER: "supplier",
    roles.UNIT: "unit",
    roles.VILLAGE: "clerk",
    roles.TOWNSHIP: "clerk",
    roles.COUNTY: "reviewer",
    roles.CITY: "reviewer",
    roles.OPERATOR: "operator",
}


def sections_for(user):
    """(role label, template, context) for each role the user holds, in the order of the work's flow."""
    held = user_roles(user)
    today = timezone.localdate()
    region = office_region(user)
    sections = []
    if roles.SUPPLIER in held:
        sections.append((roles.SUPPLIER, selectors.supplier_todo(user=user, today=today)))
    if roles.UNIT in held:
        sections.append((roles.UNIT, selectors.unit_todo(user=user, today=today)))
    if region is not None and region.level in (VILLAGE, TOWNSHIP) and held & {roles.VILLAGE, roles.TOWNSHIP}:
        role = roles.VILLAGE if region.level == VILLAGE else roles.TOWNSHIP
        sections.append((role, selectors.clerk_todo(user=user, region=region, today=today)))
    if region is not None and held & REVIEWER_ROLES:
        role = roles.COUNTY if roles.COUNTY in held else roles.CITY
        todo = selectors.reviewer_todo(
            user=user, region=region, may_decide_certifications=user.has_perm(REVIEW_CERTIFICATIONS), today=today
        )
        sections.append((role, todo))
    if roles.OPERATOR in held or user.is_superuser:
        sections.append((roles.OPERATOR, selectors.operator_todo(user=user)))
    return [
        {
            "role": role,
            "label": roles.ROLE_LABELS[role],
            "template": f"workbench/sections/{TEMPLATES[role]}.html",
            "todo": todo,
        }
        for role, todo in sections
    ]


@permission_required(BACK_OFFICE)
def todo(request):
    return render(request, "workbench/todo.html", {"sections": sections_for(request.user)})
