from .base import *  # noqa: F403
from .base import DATABASES, PRIVATE_STORAGE, cache_settings, database_settings, env, private_bucket_storage

DEBUG = False
# No defaults: a production process without its secrets must not start.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES["default"] = database_settings(env.str("DATABASE_URL"))
REDIS_URL = env("REDIS_URL")
CACHES = {"default": cache_settings(REDIS_URL)}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "operations.mail.QueuedEmailBackend"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail marks its own preview views SAMEORIGIN; nothing else is framed.
X_FRAME_OPTIONS = "DENY"
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

# Private files on the file system (served through nginx's X-Accel-Redirect), or in a bucket when one is named:
# then the views redirect an allowed viewer to a signed address that expires after PRIVATE_STORAGE_URL_SECONDS.
PRIVATE_STORAGE_BUCKET = env("PRIVATE_STORAGE_BUCKET", default="")
if PRIVATE_STORAGE_BUCKET:
    PRIVATE_STORAGE = private_bucket_storage(
        bucket=PRIVATE_STORAGE_BUCKET,
        expire_seconds=env.int("PRIVATE_STORAGE_URL_SECONDS", default=60),
        endpoint_url=env("PRIVATE_STORAGE_ENDPOINT_URL", default=""),
        region_name=env("PRIVATE_STORAGE_REGION", default=""),
    )
    PRIVATE_MEDIA_X_ACCEL_REDIRECT = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
