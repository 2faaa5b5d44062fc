from django.conf import settings
from django.utils.module_loading import import_string

from .base import SearchBackend, SearchQuery, SearchResult  # noqa: F401

_backends = {}


def get_backend():
    """Elasticsearch when ELASTICSEARCH_URL is set, the project's database index otherwise."""
    path = settings.SEARCH_BACKEND or (
        "search.backends.elasticsearch.ElasticsearchBackend"
        if settings.ELASTICSEARCH_URL
        else "search.backends.database.DatabaseBackend"
    )
    key = (path, settings.ELASTICSEARCH_URL)
    if key not in _backends:
        _backends[key] = import_string(path)()
    return _backends[key]
