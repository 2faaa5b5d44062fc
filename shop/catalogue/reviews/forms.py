from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.reviews.forms import ProductReviewForm as OscarProductReviewForm
from oscar.apps.catalogue.reviews.forms import SortReviewsForm, VoteForm  # noqa: F401

from suppliers.evidence import JPEG, PNG, verify_upload

SCORES = [(score, "★" * score) for score in range(5, 0, -1)]


class ProductReviewForm(OscarProductReviewForm):
    """Oscar's review form with 1 to 5 stars (no zero), an optional title, and photos verified like every upload."""

    score = forms.TypedChoiceField(label=_("Rating"), choices=SCORES, coerce=int, widget=forms.RadioSelect)

    def __init__(self, product, *args, **kwargs):
        super().__init__(product, *args, **kwargs)
        self.fields["title"].required = False
        self.fields["body"].label = _("Your review")
        self.fields["body"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": 1000})

    def clean_photos(self):
        photos = self.files.getlist("photos") if self.files else []
        if len(photos) > settings.AFTERSALES_MAX_PHOTOS:
            raise ValidationError(_("Attach at most %(n)s photos.") % {"n": settings.AFTERSALES_MAX_PHOTOS})
        return [
            (upload, verify_upload(upload, allowed=(JPEG, PNG), max_bytes=settings.AFTERSALES_PHOTO_MAX_BYTES))
            for upload in photos
        ]

    def clean(self):
        cleaned = super().clean()
        try:
            self.verified_photos = self.clean_photos()
        except ValidationError as error:
            self.verified_photos = []
            self.add_error(None, error)
        body = (cleaned.get("body") or "").strip()
        if not (cleaned.get("title") or "").strip() and body:
            cleaned["title"] = body[:30]
            self.instance.title = cleaned["title"]
        return cleaned
