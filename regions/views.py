"""The address picker's one question: which regions lie directly under this one (province → city → county → township)."""

import re

from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from regions.models import VILLAGE, Region

CACHE_SECONDS = 3600
# A region's code is 12 digits; anything else is not looked up, nor made into a cache key.
CODE = re.compile(r"[0-9]{12}")


def children_of(code):
    if code and not CODE.fullmatch(code):
        return None
    key = f"regions:children:{code or 'top'}"
    children = cache.get(key)
    if children is None:
        if code:
            parent = Region.objects.filter(code=code).values("pk", "level").first()
            if parent is None or parent["level"] == VILLAGE:
                return None
            rows = Region.objects.filter(parent_id=parent["pk"])
        else:
            rows = Region.objects.filter(parent__isnull=True)
        # Addresses go down to the township; a village is written in the street address.
        children = list(rows.exclude(level=VILLAGE).order_by("code").values("code", "name", "level"))
        cache.set(key, children, CACHE_SECONDS)
    return children


@require_GET
def children(request, code=""):
    found = children_of(code)
    if found is None:
        raise Http404
    response = JsonResponse({"regions": found})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
