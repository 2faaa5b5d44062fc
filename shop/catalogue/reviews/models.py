from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.reviews.abstract_models import AbstractProductReview

from suppliers.private_files import private_storage, random_name


def review_photo_name(instance, filename):
    return random_name("reviews", filename)


class ProductReview(AbstractProductReview):
    """Oscar's review, which the product's supplier may answer once."""

    # Oscar's own fields that it leaves without a name, named here (as Oscar declares them otherwise) so that Django's
    # admin labels them in Chinese.
    product = models.ForeignKey(
        "catalogue.Product", verbose_name=_("Product"), related_name="reviews", null=True, on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        blank=True,
        null=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    date_created = models.DateTimeField(_("Date created"), auto_now_add=True)
    supplier_answer = models.TextField(_("Supplier's answer"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(AbstractProductReview.Meta):
        pass


class ReviewPhoto(models.Model):
    """A buyer's photo with a review: verified as JPEG or PNG, kept privately, shown once the review is approved."""

    review = models.ForeignKey(ProductReview, verbose_name=_("Review"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("Photo"), storage=private_storage, upload_to=review_photo_name, max_length=200)
    file_name = models.CharField(_("File name"), max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Review photo")
        verbose_name_plural = _("Review photos")

    def __str__(self):
        return self.file_name or self.file.name


from oscar.apps.catalogue.reviews.models import *  # noqa: E402,F403
