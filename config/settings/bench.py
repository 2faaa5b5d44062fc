"""Settings for bench/: the local configuration as a production process would run it, plus a bare view."""

from .base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# bench/import.py times a 100,000-row workbook.
IMPORT_MAX_ROWS = 200_000
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
