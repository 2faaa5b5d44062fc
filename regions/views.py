"""The address picker's one question: which regions lie directly under this one (province → city → county → township)."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from regions.selectors import CACHE_SECONDS, children_of


@require_GET
def children(request, code=""):
    found = children_of(code)
    if found is None:
        raise Http404
    response = JsonResponse({"regions": found})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
