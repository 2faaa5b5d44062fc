"""A version number for the category menu, so that every page can cache it and a change shows at once."""

import uuid

from django.core.cache import cache

KEY = "catalogue:categories-version"


def categories_version():
    version = cache.get(KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    return version


def categories_changed(**kwargs):
    cache.set(KEY, uuid.uuid4().hex, timeout=None)
