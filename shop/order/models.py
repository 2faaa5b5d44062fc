from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

from shop.address.models import CHINESE_ORDER
from shop.order import statuses


class Order(AbstractOrder):
    """Oscar's order, which may be placed on a unit's account with an invoice request."""

    STRIPE, TRANSFER, COD = "stripe", "transfer", "cod"
    PAYMENT_METHOD_CHOICES = [
        (STRIPE, _("Online payment (card, Alipay, WeChat Pay)")),
        (TRANSFER, _("Bank transfer (对公转账)")),
        (COD, _("Cash on delivery")),
    ]

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("Bought for unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    invoice_title = models.CharField(_("Invoice title"), max_length=128, blank=True)
    invoice_tax_number = models.CharField(_("Taxpayer identification number"), max_length=20, blank=True)
    payment_method = models.CharField(_("Payment method"), max_length=16, choices=PAYMENT_METHOD_CHOICES, blank=True)
    transfer_reference = models.CharField(
        _("Transfer reference code"), max_length=32, unique=True, null=True, blank=True
    )
    paid_at = models.DateTimeField(_("Paid at"), null=True, blank=True)
    # Oscar's own fields that it leaves without a name, named here (as Oscar declares them otherwise) so that Django's
    # admin labels them in Chinese.
    shipping_code = models.CharField(_("Shipping method code"), blank=True, max_length=128, default="")
    date_placed = models.DateTimeField(_("Date placed"), db_index=True)
    analytics_tracked = models.BooleanField(_("Counted in the statistics"), default=False)

    class Meta(AbstractOrder.Meta):
        pass

    @property
    def status_label(self):
        return statuses.ORDER_LABELS.get(self.status, self.status)

    @property
    def buyer_status_label(self):
        return statuses.BUYER_LABELS.get(self.status, self.status)

    @property
    def is_paid(self):
        return self.paid_at is not None


class Line(AbstractLine):
    # Named here for Django's admin, as on the order.
    allocation_cancelled = models.BooleanField(_("Stock allocation cancelled"), default=False)

    class Meta(AbstractLine.Meta):
        pass

    @property
    def status_label(self):
        return statuses.LINE_LABELS.get(self.status, self.status)


class Shipment(models.Model):
    """What one supplier sends for one order: its lines, its shipping charge, its carrier and tracking number."""

    order = models.ForeignKey(Order, verbose_name=_("Order"), on_delete=models.CASCADE, related_name="shipments")
    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="shipments"
    )
    shipping_charge = models.DecimalField(_("Shipping charge"), max_digits=12, decimal_places=2)
    carrier = models.CharField(_("Carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("Tracking number"), max_length=64, blank=True)
    shipped_at = models.DateTimeField(_("Shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("Delivered at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["order", "partner"], name="one_shipment_per_supplier")]
        verbose_name = _("Shipment")
        verbose_name_plural = _("Shipments")

    def __str__(self):
        return f"{self.order.number} · {self.partner}"

    @property
    def status(self):
        if self.delivered_at:
            return statuses.DELIVERED
        if self.shipped_at:
            return statuses.SHIPPED
        return statuses.PENDING

    @property
    def status_label(self):
        return statuses.LINE_LABELS[self.status]


class ShippingAddress(AbstractShippingAddress):
    # Printed from the province down, as the address book's (shop.address.models); Oscar's hash is kept.
    base_fields = CHINESE_ORDER


class GroupDelivery(models.Model):
    """A unit order delivered to many addresses (以购代捐 for the unit's staff): its recipients, each with the
    quantity of one of the order's lines. Chosen at checkout and written with the order; the order stays one order."""

    order = models.OneToOneField(
        Order, verbose_name=_("Order"), on_delete=models.PROTECT, related_name="group_delivery"
    )
    file_name = models.CharField(_("File name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("Delivery to many addresses")
        verbose_name_plural = _("Deliveries to many addresses")

    def __str__(self):
        return str(self.order)


class Recipient(models.Model):
    delivery = models.ForeignKey(
        GroupDelivery, verbose_name=_("Delivery to many addresses"), on_delete=models.CASCADE, related_name="recipients"
    )
    row = models.PositiveIntegerField(_("Row"))
    line = models.ForeignKey(Line, verbose_name=_("Order line"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Recipient"), max_length=64)
    phone = models.CharField(_("Mobile number"), max_length=11)
    address = models.CharField(_("Delivery address"), max_length=255)
    quantity = models.PositiveIntegerField(_("Quantity"))

    class Meta:
        ordering = ["row"]
        verbose_name = _("Recipient")
        verbose_name_plural = _("Recipients")

    def __str__(self):
        return f"{self.name} ×{self.quantity}"


from oscar.apps.order.models import *  # noqa: E402,F403
