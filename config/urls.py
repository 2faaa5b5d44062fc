from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The back office's landing page answers /shop/dashboard/ before Oscar's statistics page would.
    path("shop/dashboard/", include("workbench.urls")),
    path("shop/dashboard/suppliers/", include("suppliers.dashboard.urls")),
    path("shop/dashboard/reports/", include("reports.dashboard.urls")),
    path("shop/dashboard/claims/", include("shop.aftersales.dashboard_urls")),
    path("shop/aftersales/", include("shop.aftersales.urls")),
    path("shop/dashboard/product-reviews/", include("shop.catalogue.reviews.urls")),
    path("shop/dashboard/settlement/", include("settlement.dashboard.urls")),
    path("shop/dashboard/invoices/", include("shop.invoicing.dashboard_urls")),
    path("shop/dashboard/procurement/", include("procurement.dashboard.urls")),
    path("shop/suppliers/", include("suppliers.urls")),
    path("shop/reports/", include("reports.urls")),
    path("shop/invoices/", include("shop.invoicing.urls")),
    path("shop/vouchers/", include("procurement.urls")),
    path("shop/accounts/", include("accounts.urls")),
    path("shop/regions/", include("regions.urls")),
    path("shop/", include("shop.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
