from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.apps.catalogue.reviews.views import AddVoteView as OscarAddVoteView
from oscar.apps.catalogue.reviews.views import CreateProductReview as OscarCreateProductReview
from oscar.apps.catalogue.reviews.views import ProductReviewDetail as OscarProductReviewDetail
from oscar.apps.catalogue.reviews.views import ProductReviewList  # noqa: F401

from accounts.permissions import MANAGE_OWN_PRODUCTS, permission_required
from shop.catalogue.reviews.models import ProductReview, ReviewPhoto
from shop.catalogue.reviews.services import review_answer, reviews_of_supplier, reviews_visible_to
from suppliers.private_files import attach_private_upload, private_file_response


class CreateProductReview(OscarCreateProductReview):
    """Oscar's view, which also keeps the review's verified photos in private storage."""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            for upload, file_type in form.verified_photos:
                photo = ReviewPhoto(review=self.object)
                attach_private_upload(photo, "file", upload, file_type)
                photo.save()
        return response


class ProductReviewDetail(OscarProductReviewDetail):
    """Oscar's page of one review, which would show any review by its number under any product: here only a review
    of this product that is approved, or the viewer's own, or any for a moderator."""

    def get_queryset(self):
        return reviews_visible_to(self.request.user).filter(product_id=self.kwargs["product_pk"])


class AddVoteView(OscarAddVoteView):
    """Votes only on the approved reviews of the product in the address."""

    def post(self, request, *args, **kwargs):
        get_object_or_404(
            ProductReview.objects.filter(status=ProductReview.APPROVED),
            pk=kwargs["pk"],
            product_id=kwargs["product_pk"],
        )
        return super().post(request, *args, **kwargs)


def review_photo(request, pk):
    """A review's photo: public once the review is approved; before that only its author and the moderators see it."""
    photo = get_object_or_404(ReviewPhoto.objects.select_related("review"), pk=pk)
    review = photo.review
    user = request.user
    if review.status != ProductReview.APPROVED and not (
        user.is_authenticated and (review.user_id == user.pk or user.has_perm("reviews.change_productreview"))
    ):
        raise Http404
    return private_file_response(photo.file, original_name=photo.file_name)


@permission_required(MANAGE_OWN_PRODUCTS)
def supplier_review_list(request):
    reviews = reviews_of_supplier(user=request.user).order_by("-date_created")[:200]
    return render(request, "reviews/dashboard/review_list.html", {"reviews": reviews})


@permission_required(MANAGE_OWN_PRODUCTS)
@require_POST
def supplier_review_answer(request, pk):
    review = get_object_or_404(reviews_of_supplier(user=request.user), pk=pk)
    try:
        review_answer(review=review, user=request.user, answer=request.POST.get("answer"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer has been published under the review."))
    return redirect("review-answers:review-list")
