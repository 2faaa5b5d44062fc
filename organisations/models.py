from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A supporting unit (后盾单位/帮扶单位) that buys from certified suppliers and paired villages."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Government agency")
        SCHOOL = "school", _("School")
        HOSPITAL = "hospital", _("Hospital")
        STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
        PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
        SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
        TRADE_UNION = "trade_union", _("Trade union")

    class Level(models.TextChoices):
        CITY = "city", _("City-level")
        COUNTY = "county", _("County-level")
        TOWNSHIP = "township", _("Township-level")

    name = models.CharField(_("Name"), max_length=128, unique=True)
    kind = models.CharField(_("Kind"), max_length=24, choices=Kind.choices)
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="units"
    )
    paired_villages = models.ManyToManyField(
        "regions.Region", verbose_name=_("Paired villages"), blank=True, related_name="paired_units"
    )
    annual_target = models.DecimalField(
        _("Annual purchase target (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    canteen_budget = models.DecimalField(
        _("Canteen food budget (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    reserved_share_percent = models.DecimalField(
        _("Reserved share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("Share of the canteen food budget reserved for poverty-alleviation products."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Members"), blank=True, related_name="units"
    )
    tax_number = models.CharField(_("Taxpayer identification number"), max_length=20, blank=True)
    # 主管单位 → 二级单位: one level of sub-units under a parent unit.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_units",
    )
    counts_toward_parent = models.BooleanField(
        _("Purchases count toward the parent unit's reserved share"),
        default=True,
        help_text=_("A trade union's purchases always count toward its parent unit."),
    )

    class Meta:
        # The table kept its name from when units lived in reports, so moving the model left the data in place.
        db_table = "reports_unit"
        ordering = ["name"]
        verbose_name = _("Unit")
        verbose_name_plural = _("Units")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent unit.")})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("The parent unit is itself a sub-unit; choose the unit above it.")})
        if self.pk is not None and self.sub_units.exists():
            raise ValidationError({"parent": _("A unit with sub-units of its own cannot become a sub-unit.")})

    @property
    def counts_for_parent(self):
        """Whether this unit's purchases count toward its parent unit's reserved share."""
        return self.parent_id is not None and (self.counts_toward_parent or self.kind == self.Kind.TRADE_UNION)

    @property
    def reserved_share_amount(self):
        return (self.canteen_budget * self.reserved_share_percent / Decimal(100)).quantize(Decimal("0.01"))
