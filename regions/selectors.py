"""Reads of the regions table: the address picker's children of a region, kept in the cache.

The cached lists carry a version in their keys; loading or changing regions sets a new version
(`forget_cached_children`), so no list from before the change is read again, whatever cache backend is in use.
"""

import re
import uuid

from django.core.cache import cache

from regions.models import VILLAGE, Region

CACHE_SECONDS = 3600
VERSION_KEY = "regions:children:version"


def _version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def forget_cached_children():
    """Every cached list of children goes out of use: called whenever regions are loaded or changed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


CODE = re.compile(r"[0-9]{12}")


def children_of(code):
    """The regions directly under the one with this code (the provinces for no code), down to the township;
    None when there is no such region or it is a village."""
    if code and not CODE.fullmatch(code):
        # A region's code is 12 digits; anything else is not looked up, nor made into a cache key.
        return None
    key = f"regions:children:{_version()}:{code or 'top'}"
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
