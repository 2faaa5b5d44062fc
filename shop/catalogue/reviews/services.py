from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.errors import Refusal
from accounts.permissions import MANAGE_OWN_PRODUCTS, MODERATE_REVIEWS, require
from shop.catalogue.reviews.models import ProductReview

Product = get_model("catalogue", "Product")


class ReviewError(Refusal, ValidationError):
    """An answer to a review that is not allowed; the message says why."""


def reviews_visible_to(user):
    """Reviews a person may read on the shop's pages: approved ones, their own, and every one for a moderator."""
    reviews = ProductReview.objects.select_related("product", "user")
    if user.is_authenticated and user.has_perm(MODERATE_REVIEWS):
        return reviews
    visible = Q(status=ProductReview.APPROVED)
    if user.is_authenticated:
        visible |= Q(user=user)
    return reviews.filter(visible)


def reviews_of_supplier(*, user):
    """Reviews of the products the user's suppliers sell (every review for an administrator)."""
    reviews = ProductReview.objects.select_related("product", "user")
    if user.is_superuser:
        return reviews
    return reviews.filter(product__stockrecords__partner__users=user).distinct()


def review_answer(*, review, user, answer):
    """The supplier answers a review of its product, once; the answer shows under the review."""
    require(user, MANAGE_OWN_PRODUCTS)
    if not reviews_of_supplier(user=user).filter(pk=review.pk).exists():
        raise PermissionDenied(_("You may only answer reviews of your own products."))
    answer = (answer or "").strip()
    if not answer:
        raise ReviewError({"answer": _("Write your answer.")})
    with transaction.atomic():
        review = ProductReview.objects.select_for_update().get(pk=review.pk)
        if review.supplier_answer:
            raise ReviewError(_("This review has already been answered; a supplier answers once."))
        review.supplier_answer, review.answered_at, review.answered_by = answer[:1000], timezone.now(), user
        review.full_clean(exclude=["product", "user"])
        review.save(update_fields=["supplier_answer", "answered_at", "answered_by"])
        # The product page keeps its reviews in a fragment keyed on the product's update time.
        Product.objects.filter(pk=review.product_id).update(date_updated=timezone.now())
    return review
