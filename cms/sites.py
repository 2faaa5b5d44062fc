"""Which Wagtail site answers a request, kept in the cache.

Wagtail looks the site up in the database for every page it serves. Sites change almost never: the answer is kept
under a version that saving or deleting a site, or moving or deleting a page, replaces.
"""

from django.core.cache import cache
from django.http.request import split_domain_port

from config.cache_versions import CacheVersion

VERSION = CacheVersion("cms:sites-version")
TIMEOUT = 600
_MISSING = object()


sites_version = VERSION.get
sites_changed = VERSION.replace


def site_for_request(request):
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = f"cms:site:{sites_version()}:{hostname}:{port}"
    site = cache.get(key, _MISSING)
    if site is _MISSING:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            site = None
        cache.set(key, site, TIMEOUT)
    return site
