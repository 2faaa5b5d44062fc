"""Version tokens for what is kept in the cache until something it was built from changes.

Everything cached under a version is missed at once when the version is replaced; nothing has to find and delete the
keys. A version missing from the cache (evicted, or a fresh cache) is simply a new one, so a lost token can only cause
misses, never stale answers.

A page asks for the same versions many times (each shared fragment, product card and menu builds its key with one):
within a request each version is read from the cache once (`CacheVersionsMiddleware`), which with Redis saves a round
trip per fragment. A version this process replaces is read afresh.
"""

import contextvars
import uuid

from django.core.cache import cache
from django.db import transaction

# The versions read during the current request, {key: version}; None outside a request.
_read_this_request = contextvars.ContextVar("cache_versions_read", default=None)


class CacheVersion:
    def __init__(self, key):
        self.key = key

    def get(self):
        memo = _read_this_request.get()
        if memo is not None and self.key in memo:
            return memo[self.key]
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            # A cache that is away keeps nothing: a version of this request's own makes every read a miss.
            version = cache.get(self.key) or uuid.uuid4().hex
        if memo is not None:
            memo[self.key] = version
        return version

    def replace(self, **signal_kwargs):
        """Replace the version (usable as a signal receiver): at once, and again when the transaction commits.

        Signals fire before the change is committed; a request in between could read the old rows and cache them
        under the new version. The second replacement, once the change is committed, leaves nothing of that behind.
        """
        self._set(uuid.uuid4().hex)
        transaction.on_commit(lambda: self._set(uuid.uuid4().hex))

    def _set(self, version):
        cache.set(self.key, version, timeout=None)
        memo = _read_this_request.get()
        if memo is not None:
            memo.pop(self.key, None)


class CacheVersionsMiddleware:
    """Each cache version read at most once per request (first in the middleware list, so all of the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_this_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_this_request.reset(token)
