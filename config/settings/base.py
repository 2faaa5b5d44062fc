from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONCE
from django.urls import reverse_lazy
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])


def database_settings(url):
    """The database named by `url`, tuned for serving pages (local and production settings alike)."""
    database = env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    # Opening a PostgreSQL connection costs several milliseconds, so each worker keeps its own. Django pings a kept
    # connection at the first query of every request and replaces it when the server has closed it (restart, failover,
    # idle timeout, pg_terminate_backend): a round trip per request, paid so that no request fails on a dead
    # connection. Django's psycopg pool (OPTIONS "pool") was not chosen: a sync gunicorn worker serves one request at a
    # time and needs one connection, and the pool checks a connection on checkout only with a callback of its own.
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Kept open as well: opening the file and setting WAL mode again on every request cost more than most pages.
        options.update(
            timeout=20,
            transaction_mode="IMMEDIATE",
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        )
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # Values sent apart from the SQL (server-side binding), so that psycopg prepares a statement run again and
        # again on one connection (a basket's lines, a product with its stock) and PostgreSQL no longer plans it each
        # time: about a fifth more basket and product pages per second. Behind PgBouncer in transaction mode this needs
        # PgBouncer 1.21 or later; PREPARE_THRESHOLD=0 turns it off (values bound in the client, Django's default).
        threshold = env.int("PREPARE_THRESHOLD", default=5)
        if threshold > 0:
            options.update(server_side_binding=True, prepare_threshold=threshold)
    return database


DATABASES = {"default": database_settings(env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "accounts.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Django's own widget templates, for the TemplatesSetting form renderer below.
    "django.forms",
    "axes",
    "csp",
    # project apps that others point at
    "accounts",
    "regions",
    "organisations",
    # django-oscar, with the forks that change its behaviour
    "oscar.config.Shop",
    "shop.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "shop.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "suppliers.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "shop.invoicing.apps.InvoicingConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.aftersales.apps.AftersalesConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "shop.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "shop.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # project domains
    "reports",
    "settlement",
    "procurement",
    "cms",
    "workbench",
    # background work: Django's task framework (django-tasks backport) with its database backend
    "django_tasks",
    "django_tasks_db",
    "operations",
]

SITE_ID = 1
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out sign-in is refused before a password is checked (shop, /cms/ and Django admin alike).
    "axes.backends.AxesStandaloneBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "/shop/"
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one address, that
# pair waits AXES_COOLOFF_MINUTES; a successful sign-in clears the count. Keyed on the pair so that one office's
# shared address is not locked out by a single colleague, nor an account by someone elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"
# The name every login form gives the address when it calls authenticate() (axes would otherwise use "email").
AXES_USERNAME_FORM_FIELD = "username"
# How many reverse proxies in front of the site append the visitor's address to X-Forwarded-For (1 behind the nginx of
# docker/). 0 trusts no header and takes the connection's address. Sign-in throttling and the public forms' limits
# count per visitor with it (accounts.throttling.client_ip); set too low behind a proxy, every visitor shares the
# proxy's count; set too high, a visitor can choose the address counted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    # Serves a request again when the server closed its database connection under it before it wrote anything.
    "config.database.ConnectionLostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.admin_policy.WagtailAdminPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp), enforced everywhere so that development and the tests see what production
# serves: everything from this site only; inline scripts run only with the request's nonce ({{ request.csp_nonce }}).
# Styles also allow inline style attributes: Wagtail's admin, Oscar's dashboard widgets (select2, TinyMCE, the date
# picker) and Bootstrap's own scripts set element styles at run time. data: images are Wagtail's and TinyMCE's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # Wagtail's page preview frames the site in the editor; nothing else frames it (X_FRAME_OPTIONS).
        "frame-ancestors": ["'self'"],
    }
}

# Widgets are rendered through TEMPLATES, so the project's templates/ can replace a library widget's template (Oscar's
# picture widget, whose inline handlers the Content-Security-Policy refuses).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Evidence, receipts and import spreadsheets: outside MEDIA_ROOT, reachable only through views that check the viewer.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "suppliers.private_files.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
# Behind nginx, e.g. "/protected/": views answer with X-Accel-Redirect and nginx sends the bytes (docker/nginx.conf).
PRIVATE_MEDIA_X_ACCEL_REDIRECT = env("PRIVATE_MEDIA_X_ACCEL_REDIRECT", default="")
# Set by the production settings when the private files live in an S3-compatible bucket (private_bucket_storage).
PRIVATE_STORAGE_BUCKET = ""


def private_bucket_storage(*, bucket, expire_seconds, endpoint_url=None, region_name=None):
    """The private storage in a bucket (django-storages' S3 backend): every object private, and reachable only by a
    signed address that a view hands out after its permission check and that expires within `expire_seconds`.
    Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the instance's role)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": expire_seconds,
            "file_overwrite": False,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# Uploads (licences, receipts, spreadsheets) stay well under this; larger bodies are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Seconds to wait for Redis to connect or answer: a Redis that is away makes pages slower, never stalled.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
# Seconds the cache leaves Redis alone after a connection error or timeout: a hanging Redis then costs one timeout.
REDIS_RETRY_AFTER = env.float("REDIS_RETRY_AFTER", default=10)


def cache_settings(url):
    """Redis at `url` where every error is a miss (pages are then served from the database), local memory without."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xfbsc"}
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            # After a connection error or timeout, Redis is left alone for REDIS_RETRY_AFTER seconds (config/redis_client.py).
            "REDIS_CLIENT_CLASS": "config.redis_client.BreakerRedis",
        },
    }


REDIS_URL = env("REDIS_URL", default="")
CACHES = {"default": cache_settings(REDIS_URL)}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions are kept in the database (Django's default engine; production reads them through the cache), so a lost
# Redis logs nobody out.

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Every message goes through the task queue (operations.mail); the worker hands it to the backend of EMAIL_URL.
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "operations.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="消费扶贫商城 <noreply@xfbsc.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Oscar
OSCAR_SHOP_NAME = "消费扶贫商城"
OSCAR_SHOP_TAGLINE = "买一份特产，帮一户农家"
OSCAR_HOMEPAGE = reverse_lazy("catalogue:index")
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¤#,##0.00", "format_type": "standard"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = False
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "state", "country", "phone_number")
OSCAR_SLUG_FUNCTION = "config.slugs.slugify"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"

# Oscar's search modules import Haystack; the project's search app replaces them (search/loading.py).
OSCAR_DYNAMIC_CLASS_LOADER = "search.loading.class_loader"

# Wagtail
WAGTAIL_SITE_NAME = "消费扶贫商城"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Avatars from Gravatar would be loaded from outside the site (refused by the policy, unreachable in mainland China).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for a newer version: the policy refuses it and the console shows errors.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Editors choose among the platform's time zone only (the list of every zone on earth reads as English).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.AdminLoginForm"
# Slugs are ASCII: a page with a Chinese title gets its pinyin (cms.slugs), which survives every browser and copy.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# Payments: without a secret key the Stripe option is not offered.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")

ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Catalogue listings (search.listing): how long the database index's answer to one query is kept (it is asked again at
# once when any search row changes; the time only bounds what an unused query holds), and a grid of product cards
# (keyed on each product's last index write).
SEARCH_LISTING_CACHE_SECONDS = env.int("SEARCH_LISTING_CACHE_SECONDS", default=600)
SEARCH_GRID_CACHE_SECONDS = env.int("SEARCH_GRID_CACHE_SECONDS", default=3600)
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="xfbsc-")
# Seconds a search waits for Elasticsearch before the database index answers instead.
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=3)
# Product search: the database index by default, Elasticsearch when ELASTICSEARCH_URL is set; a dotted path overrides.
SEARCH_BACKEND = env("SEARCH_BACKEND", default="")
# Index updates the cluster refused are sent again by the worker, waiting twice as long each time.
SEARCH_SEND_MAX_ATTEMPTS = env.int("SEARCH_SEND_MAX_ATTEMPTS", default=6)
SEARCH_SEND_RETRY_SECONDS = env.int("SEARCH_SEND_RETRY_SECONDS", default=30)

# /readyz reports "degraded" when the oldest job still waiting or running is older than this (seconds).
READYZ_TASK_MAX_AGE = env.int("READYZ_TASK_MAX_AGE", default=600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

from config.navigation import extend_dashboard_navigation  # noqa: E402

OSCAR_DASHBOARD_NAVIGATION = extend_dashboard_navigation(OSCAR_DASHBOARD_NAVIGATION)  # noqa: F405

# --- background tasks (operations/, README "Background work") ---
# The database backend keeps queued work in the project's own database (SQLite or PostgreSQL), so a job survives a
# restart and `make run` needs no broker; `TASKS_BACKEND=rq` moves the queue to Redis (needs the `rq` extra).
TASKS_BACKEND = env("TASKS_BACKEND", default="database")
# One worker per queue (Procfile, docker/compose.yml), so no kind of work waits behind another: e-mails (`mail`) held
# up by a hanging mail server, or a long import (`imports`), never delay the rest (`default`).
TASK_QUEUES = ("default", "imports", "mail")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        queue: {"URL": env("TASKS_REDIS_URL", default=REDIS_URL), "DEFAULT_TIMEOUT": 3600} for queue in TASK_QUEUES
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": list(TASK_QUEUES)}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(TASK_QUEUES)}}
# Periodic jobs: `manage.py run_scheduler` enqueues each task at its cron time (Asia/Shanghai); a worker runs it.
SCHEDULED_TASKS = [
    ("suppliers.tasks.certifications_daily_run", {"hour": 0, "minute": 30}),
    ("shop.order.tasks.orders_release_unpaid_run", {"hour": 1, "minute": 0}),
    ("shop.order.tasks.orders_expire_abandoned_online_run", {"minute": 15}),
    ("shop.order.tasks.orders_auto_receive_run", {"hour": 2, "minute": 0}),
    ("reports.tasks.report_reminders_send", {"hour": 9, "minute": 0}),
    ("reports.tasks.import_sweep_stale", {"minute": "*"}),
    ("operations.tasks.email_requeue_stranded", {"minute": "*/5"}),
    ("operations.tasks.task_results_prune", {"hour": 3, "minute": 30}),
    ("operations.tasks.task_results_fail_stale", {"minute": "*"}),
    ("settlement.tasks.statements_generate_run", {"hour": 2, "minute": 0}),
    ("shop.invoicing.tasks.unit_orders_overdue_notify_run", {"hour": 9, "minute": 15}),
    # The day after each half month ends, each office's bulletin (通报) on its units' reserved share.
    ("procurement.tasks.bulletins_generate", {"day": "1,16", "hour": 6, "minute": 30}),
]
SCHEDULER_MISFIRE_GRACE_SECONDS = 3600
# A hanging SMTP server must not hold a worker for minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
# Seconds before the second attempt; each later one waits twice as long (an hour at most): about four hours in all.
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=120)
# A task still "running" after this many seconds had its worker die: the sweep marks it failed for the operator to run
# again (imports excepted: their heartbeat sweep takes them up). Keep it above the longest task's run.
TASK_RUNNING_STALE_SECONDS = env.int("TASK_RUNNING_STALE_SECONDS", default=3600)
# Every worker started by `manage.py run_worker` writes a sign of life this often; a run whose worker has not been seen
# for TASK_WORKER_LOST_SECONDS is marked failed by the sweep (every minute), whatever its length.
TASK_WORKER_BEAT_SECONDS = env.int("TASK_WORKER_BEAT_SECONDS", default=15)
TASK_WORKER_LOST_SECONDS = env.int("TASK_WORKER_LOST_SECONDS", default=120)

# --- suppliers ---
# Days a newly approved product stays on public notice (公示) before its batch enters the catalogue.
CERTIFICATION_NOTICE_DAYS = env.int("CERTIFICATION_NOTICE_DAYS", default=7)
CERTIFICATION_VALIDITY_YEARS = env.int("CERTIFICATION_VALIDITY_YEARS", default=2)
CERTIFICATION_EVIDENCE_MAX_BYTES = env.int("CERTIFICATION_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# Suppliers are e-mailed this many days before a certificate expires (once each), and may apply to renew from the
# first of them.
CERTIFICATION_REMINDER_DAYS = (60, 30)
# A price more than this many percent above a certified product's reference price waits for the county office.
PRICE_REFERENCE_MARGIN_PERCENT = Decimal(env.str("PRICE_REFERENCE_MARGIN_PERCENT", default="20"))
# The product page shows the lowest price of this many days beside the current one after a rise.
PRICE_LOWEST_WINDOW_DAYS = 30
# Objections from one address on the public notice page, per hour.
OBJECTIONS_PER_HOUR = env.int("OBJECTIONS_PER_HOUR", default=5)

# --- settlement ---
# The platform's fee on a supplier's net sales of a half month, as a fraction (0.005 = 0.5%); 832 takes none.
SETTLEMENT_FEE_RATE = Decimal(env.str("SETTLEMENT_FEE_RATE", default="0"))

# --- unit orders (shop/invoicing) ---
# Days a unit has to pay a supplier after it accepted the goods (832: 30); later, the order is overdue.
UNIT_PAYMENT_DAYS = env.int("UNIT_PAYMENT_DAYS", default=30)

# --- reports ---
# A half-month report is late when it is not submitted this many days after its period ends.
REPORT_DEADLINE_DAYS = env.int("REPORT_DEADLINE_DAYS", default=3)
# Purchase dates before this are refused (targeted poverty alleviation, and so these records, began in 2014).
REPORT_EARLIEST_PURCHASE_DATE = env.str("REPORT_EARLIEST_PURCHASE_DATE", default="2014-01-01")
# A paid unit order's record takes the report category named by its product's top-level catalogue category slug;
# a slug that is itself a report category code needs no entry.
REPORT_CATEGORY_OF_SLUG = {"craft": "handicraft", "local": "processed", "aquatic": "other"}
# Where a report goes when no office mailbox is configured for the receiving body.
REPORT_FALLBACK_EMAIL = env("REPORT_FALLBACK_EMAIL", default="")
REPORT_RECEIPT_MAX_BYTES = 5 * 1024 * 1024
REPORT_IMPORT_MAX_BYTES = 20 * 1024 * 1024
REPORT_IMPORT_BATCH_SIZE = 2000
# Imports run in the task worker (reports.tasks.import_run); a running import whose worker has not written progress
# for this long is taken to be dead and started again, up to REPORT_IMPORT_MAX_ATTEMPTS times, then marked failed.
REPORT_IMPORT_STALE_SECONDS = env.int("REPORT_IMPORT_STALE_SECONDS", default=300)
REPORT_IMPORT_MAX_ATTEMPTS = env.int("REPORT_IMPORT_MAX_ATTEMPTS", default=2)
# Product views are counted in each process and handed to the task queue together, at most this often (seconds):
# one queued task per process and interval instead of one per page.
ANALYTICS_VIEWS_SECONDS = env.int("ANALYTICS_VIEWS_SECONDS", default=10)

# An uploaded .xlsx is refused when its zip members add up to more than this once decompressed, or when it has more
# rows than IMPORT_MAX_ROWS under its header (a 300 KB file can expand to 300 MB).
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)

# --- units' reserved share (procurement/) ---
# The province's minimum share of a canteen's food budget reserved for poverty-alleviation products (832: at least
# 10%; some provinces ask 15–30%). A filing below it is refused.
PROCUREMENT_MINIMUM_SHARE_PERCENT = Decimal(env.str("PROCUREMENT_MINIMUM_SHARE_PERCENT", default="10"))
# A bulletin names a unit as behind when its execution is more than this many percentage points below the share of
# the budget year gone by.
PROCUREMENT_BEHIND_MARGIN_POINTS = Decimal(env.str("PROCUREMENT_BEHIND_MARGIN_POINTS", default="10"))
# The most gift vouchers (提货券) one purchase may issue.
PROCUREMENT_MAX_VOUCHERS = env.int("PROCUREMENT_MAX_VOUCHERS", default=2000)
# Wrong or refused gift-voucher codes one account may try in an hour before redemption waits for the hour to end.
VOUCHER_REDEEM_FAILURES_PER_HOUR = env.int("VOUCHER_REDEEM_FAILURES_PER_HOUR", default=10)

# --- checkout ---
LOCALE_PATHS = [*LOCALE_PATHS, BASE_DIR / "shop" / "locale"]
# Statuses are stable English codes; templates show the translated label (shop.order.statuses).
OSCAR_INITIAL_ORDER_STATUS = "pending"
OSCAR_INITIAL_LINE_STATUS = "pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "pending": ("paid", "cod", "review", "cancelled"),
    "review": ("paid", "cancelled"),
    "cod": ("partly_shipped", "shipped", "cancelled"),
    "paid": ("partly_shipped", "shipped", "refunded", "cancelled"),
    "partly_shipped": ("shipped", "refunded"),
    "shipped": ("delivered", "received", "refunded"),
    "delivered": ("received", "refunded"),
    "received": ("refunded",),
    "refunded": (),
    "cancelled": (),
}
OSCAR_LINE_STATUS_PIPELINE = {
    "pending": ("shipped", "refunded", "cancelled"),
    "shipped": ("delivered", "refunded"),
    "delivered": ("refunded",),
    "refunded": (),
    "cancelled": (),
}
# An unpaid bank-transfer order gives its stock back after this many days (release_unpaid_orders).
CHECKOUT_TRANSFER_DAYS = env.int("CHECKOUT_TRANSFER_DAYS", default=7)
# A shipped order counts as received this many days after its last parcel left, unless the buyer confirmed earlier.
ORDER_AUTO_RECEIPT_DAYS = env.int("ORDER_AUTO_RECEIPT_DAYS", default=10)
# Where a buyer follows a parcel: the tracking number is put in place of {number}.
ORDER_TRACKING_URL = env("ORDER_TRACKING_URL", default="https://www.kuaidi100.com/chaxun?nu={number}")
# Buyers' reviews wait for a moderator before they are shown (Oscar's moderation).
OSCAR_MODERATE_REVIEWS = True
# After-sales claims: the supplier answers within this many hours, after which the platform operator may decide alone.
AFTERSALES_ANSWER_HOURS = env.int("AFTERSALES_ANSWER_HOURS", default=48)
AFTERSALES_PHOTO_MAX_BYTES = env.int("AFTERSALES_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
AFTERSALES_MAX_PHOTOS = 6
# Products under these top-level categories are perishable: no return without a reason, claims for quality instead.
AFTERSALES_PERISHABLE_CATEGORY_SLUGS = env.list(
    "AFTERSALES_PERISHABLE_CATEGORY_SLUGS", default=["fruit", "meat", "aquatic"]
)
# An online-payment order still unpaid this long (a Checkout Session lives 24 hours) had its expiry webhook lost:
# the scheduler expires its sessions and releases its stock.
CHECKOUT_ONLINE_ABANDON_HOURS = env.int("CHECKOUT_ONLINE_ABANDON_HOURS", default=25)
# The platform's collection account shown to buyers who pay by bank transfer (对公转账).
CHECKOUT_BANK_NAME = env("CHECKOUT_BANK_NAME", default="中国农业银行张家界分行")
CHECKOUT_BANK_ACCOUNT_NAME = env("CHECKOUT_BANK_ACCOUNT_NAME", default="消费扶贫商城运营中心")
CHECKOUT_BANK_ACCOUNT = env("CHECKOUT_BANK_ACCOUNT", default="1862 0101 0400 0000 0")
# Optional Stripe payment-method configuration (pmc_...); without it the account's default decides.
STRIPE_PAYMENT_METHOD_CONFIGURATION = env("STRIPE_PAYMENT_METHOD_CONFIGURATION", default="")
# A dotted path to another gateway class behind shop.payment.gateway (tests use a fake one).
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="")
