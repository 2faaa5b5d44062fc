"""A version for the category menu, so that every page can cache it and a change shows at once."""

from config.cache_versions import CacheVersion

VERSION = CacheVersion("catalogue:categories-version")

categories_version = VERSION.get
categories_changed = VERSION.replace
