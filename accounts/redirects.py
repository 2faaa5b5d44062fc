"""Where to send someone after a form: only ever to this site, whatever a `next` parameter says."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback, field="next"):
    """A redirect to the POST's (or query's) `next` when it is a path on this site, otherwise to `fallback`."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
