import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Messages go through the task queue as in production and reach Django's test outbox when a worker runs them.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="xfbsc-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="xfbsc-private-")
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}}
STRIPE_SECRET_KEY = ""
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_WEBHOOK_SECRET = ""
ELASTICSEARCH_URL = ""
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Each product view is handed to the task queue at once; tests of the tally set their own interval.
ANALYTICS_VIEWS_SECONDS = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
# Django's test client signs in without a request, which django-axes refuses; the throttling tests turn it on.
AXES_ENABLED = False
