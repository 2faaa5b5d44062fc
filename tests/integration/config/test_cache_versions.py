"""Cache versions are read once per request, and a version replaced during the request is never served stale."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from config.cache_versions import CacheVersion, CacheVersionsMiddleware
from shop.catalogue.listing_cache import VERSION as LISTING_VERSION
from tests.factories import certified_product


def count_reads(monkeypatch, key):
    backend = caches["default"]
    reads = []
    original = backend.get

    def get(cache_key, *args, **kwargs):
        if cache_key == key:
            reads.append(cache_key)
        return original(cache_key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", get)
    return reads


@pytest.mark.django_db
def test_a_product_page_reads_the_listing_version_from_the_cache_once(client, monkeypatch):
    product = certified_product(title="桑植白茶 明前", price="128.00")
    client.get(product.get_absolute_url())
    reads = count_reads(monkeypatch, LISTING_VERSION.key)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200 and "¥128.00" in response.content.decode()
    # Breadcrumbs, gallery, price, description and the category menu are each keyed on it: one read for them all.
    assert len(reads) == 1
    client.get(product.get_absolute_url())
    assert len(reads) == 2  # the next request reads it again


@pytest.mark.django_db
def test_a_version_replaced_during_a_request_is_read_afresh(monkeypatch):
    version = CacheVersion("tests:a-version")
    seen = []

    def view(request):
        seen.append(version.get())
        seen.append(version.get())
        version.replace()
        seen.append(version.get())
        return None

    reads = count_reads(monkeypatch, version.key)
    CacheVersionsMiddleware(view)(RequestFactory().get("/"))
    assert seen[0] == seen[1] != seen[2]
    assert len(reads) == 3  # the first read (and the add's check after it), then the replaced one; not the second


def test_outside_a_request_every_read_asks_the_cache(monkeypatch):
    version = CacheVersion("tests:another-version")
    first = version.get()
    caches["default"].set(version.key, "changed-by-another-process", timeout=None)
    assert version.get() == "changed-by-another-process" != first
