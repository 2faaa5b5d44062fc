import os
import shutil

import pytest
from django.core.cache import cache

from shop.catalogue.product_views import discard_pending_views


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_product_views_left_behind():
    # Product pages buffer their view counts; what a test buffered belongs to its own rolled-back database and must not
    # be written by a later test or when the process exits.
    yield
    discard_pending_views()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
