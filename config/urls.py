from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("shop/dashboard/suppliers/", include("suppliers.dashboard.urls")),
    path("shop/dashboard/reports/", include("reports.dashboard.urls")),
    path("shop/suppliers/", include("suppliers.urls")),
    path("shop/reports/", include("reports.urls")),
    path("shop/accounts/", include("accounts.urls")),
    path("shop/", include("shop.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's catch-all page serving goes last, through cms.views.serve (the site comes from the cache).
urlpatterns += [pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"]
urlpatterns.append(re_path(wagtail_urls.serve_pattern, cms_views.serve, name="wagtail_serve"))
