"""Version tokens for what is kept in the cache until something it was built from changes.

Everything cached under a version is missed at once when the version is replaced; nothing has to find and delete the
keys. A version missing from the cache (evicted, or a fresh cache) is simply a new one, so a lost token can only cause
misses, never stale answers.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


class CacheVersion:
    def __init__(self, key):
        self.key = key

    def get(self):
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.key)
        return version

    def replace(self, **signal_kwargs):
        """Replace the version (usable as a signal receiver): at once, and again when the transaction commits.

        Signals fire before the change is committed; a request in between could read the old rows and cache them
        under the new version. The second replacement, once the change is committed, leaves nothing of that behind.
        """
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
        transaction.on_commit(lambda: cache.set(self.key, uuid.uuid4().hex, timeout=None))
