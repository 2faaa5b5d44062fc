from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "shop.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self):
        from shop.aftersales import receivers  # noqa: F401
