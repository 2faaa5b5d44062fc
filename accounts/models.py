from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser

from accounts.permissions import USER_MODEL_PERMISSIONS


class User(AbstractUser):
    """A person who signs in with e-mail; clerks and reviewers also carry the region they answer for."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("Jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
        help_text=_("The village, township, county or city this person registers, reports or reviews for."),
    )
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = USER_MODEL_PERMISSIONS

    def has_role(self, role):
        return self.groups.filter(name=role).exists()
