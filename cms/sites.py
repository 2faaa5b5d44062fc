"""Which Wagtail site answers a request, kept in the cache.

Wagtail looks the site up in the database for every page it serves. Sites change almost never: the answer is kept
under a version that saving or deleting a site, or moving or deleting a page, replaces.
"""

import uuid

from django.core.cache import cache
from django.http.request import split_domain_port

VERSION_KEY = "cms:sites-version"
TIMEOUT = 600
_MISSING = object()


def sites_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def sites_changed(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


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
