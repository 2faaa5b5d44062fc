from django.conf import settings
from django.utils.module_loading import import_string

from .base import SearchBackend, SearchQuery, SearchResult, SearchUnavailable  # noqa: F401

_backends = {}


def get_backend():
    """Elasticsearch when ELASTICSEARCH_URL is set, the project's database index otherwise."""
    path = settings.SEARCH_BACKEND or (
        "search.backends.elasticsearch.ElasticsearchBackend"
        if settings.ELASTICSEARCH_URL
        else "search.backends.database.DatabaseBackend"
    )
    return get_backend_at(path)


def fallback_backend():
    """The database index, which answers when the configured engine is unavailable (kept up to date beside it)."""
    return get_backend_at("search.backends.database.DatabaseBackend")


def get_backend_at(path):
    key = (path, settings.ELASTICSEARCH_URL)
    if key not in _backends:
        _backends[key] = import_string(path)()
    return _backends[key]
