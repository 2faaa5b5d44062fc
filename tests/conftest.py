import os
import shutil

import pytest
from django.core.cache import cache

from tests.tasks import run_due_tasks


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings):
    # Django's test setup swaps EMAIL_BACKEND for its outbox; put the queue back in front of it, as in production.
    settings.EMAIL_BACKEND = "operations.mail.QueuedEmailBackend"


@pytest.fixture
def run_tasks():
    return run_due_tasks


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
