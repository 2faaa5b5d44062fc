from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    """Oscar's product with where it comes from and the marks it carries."""

    origin = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("The county, township or village where it is grown or made."),
    )
    specification = models.CharField(_("Specification"), max_length=64, blank=True, help_text=_("e.g. 250 g × 2 tins"))
    sales_unit = models.CharField(_("Unit"), max_length=16, blank=True, help_text=_("e.g. box, jin, bag"))
    season = models.CharField(_("Season"), max_length=64, blank=True)
    is_green_food = models.BooleanField(_("Green food"), default=False)
    is_organic = models.BooleanField(_("Organic"), default=False)
    is_geographical_indication = models.BooleanField(_("Geographical indication"), default=False)
    has_quality_certificate = models.BooleanField(_("Farm produce quality certificate"), default=False)

    class Meta(AbstractProduct.Meta):
        pass

    @property
    def quality_marks(self):
        marks = [
            (self.is_green_food, _("Green food")),
            (self.is_organic, _("Organic")),
            (self.is_geographical_indication, _("Geographical indication")),
            (self.has_quality_certificate, _("Farm produce quality certificate")),
        ]
        return [label for present, label in marks if present]

    @property
    def sorted_recommended_products(self):
        """Oscar's recommendations, not asked for when the product page's own query found none
        (ProductDetailView annotates `has_recommendations`): most products have none."""
        if getattr(self, "has_recommendations", True) is False:
            return []
        return super().sorted_recommended_products

    def is_review_permitted(self, user):
        """Only a buyer who confirmed receipt of the product reviews it, once (Oscar's hook for this rule)."""
        from shop.order.selectors import buyer_received_product

        if not user.is_authenticated or self.has_review_by(user):
            return False
        return buyer_received_product(user=user, product=self)


from oscar.apps.catalogue.models import *  # noqa: E402,F403
