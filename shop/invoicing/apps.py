from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "shop.invoicing"
    label = "invoicing"
    verbose_name = _("Invoices")

    def ready(self):
        from shop.invoicing import receivers

        receivers.connect()
