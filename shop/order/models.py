from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    """Oscar's order, which may be placed on a unit's account with an invoice request."""

    unit = models.ForeignKey(
        "reports.Unit",
        verbose_name=_("Bought for unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    invoice_title = models.CharField(_("Invoice title"), max_length=128, blank=True)
    invoice_tax_number = models.CharField(_("Taxpayer identification number"), max_length=20, blank=True)

    class Meta(AbstractOrder.Meta):
        pass


from oscar.apps.order.models import *  # noqa: E402,F403
