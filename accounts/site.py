"""The site's name and address as e-mails give them (Django's and Oscar's password reset, activation and order mails
read `django.contrib.sites`): the shop's name and the host of WAGTAILADMIN_BASE_URL, written at every migrate, instead
of Django's "example.com", which sent buyers links to another site."""

from urllib.parse import urlsplit

from django.conf import settings


def site_address():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc or "localhost"


def site_from_settings(app_config=None, using="default", **kwargs):
    """post_migrate: once the sites app has its table, its one site carries the shop's name and address."""
    from django.contrib.sites.models import Site

    if app_config is not None and app_config.label != "sites":
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_address(), "name": settings.OSCAR_SHOP_NAME}
    )
    Site.objects.clear_cache()
