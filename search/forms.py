from django import forms
from django.utils.translation import gettext_lazy as _

from suppliers.models import Partner

from .backends.base import (
    QUALITY_LABELS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
    SORT_TITLE,
    SearchQuery,
)


class SearchForm(forms.Form):
    """The site-wide search box and the catalogue's filters; every field is optional."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Search certified products"), "type": "search"}),
    )
    sort_by = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            (SORT_RELEVANCE, _("Relevance")),
            (SORT_BEST_SELLING, _("Best-selling")),
            (SORT_NEWEST, _("Newest")),
            (SORT_PRICE_ASC, _("Price low to high")),
            (SORT_PRICE_DESC, _("Price high to low")),
            (SORT_TITLE, _("Title A to Z")),
        ],
        widget=forms.Select(attrs={"class": "form-control", "data-submit-on-change": ""}),
    )
    category = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    supplier = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    county = forms.RegexField(required=False, regex=r"^\d{6,12}$", widget=forms.HiddenInput)
    price = forms.IntegerField(required=False, min_value=0, max_value=9, widget=forms.HiddenInput)
    supplier_type = forms.ChoiceField(required=False, choices=Partner.TYPE_CHOICES, widget=forms.HiddenInput)
    quality = forms.ChoiceField(required=False, choices=list(QUALITY_LABELS.items()), widget=forms.HiddenInput)

    def to_query(self, page=1, per_page=24, category_ids=()):
        data = self.cleaned_data if self.is_valid() else {}
        categories = tuple(category_ids)
        if data.get("category"):
            categories += (data["category"],)
        return SearchQuery(
            text=(data.get("q") or "").strip(),
            category_ids=categories,
            partner_id=data.get("supplier"),
            region_code=data.get("county") or "",
            price_range=data.get("price"),
            supplier_type=data.get("supplier_type") or "",
            quality=data.get("quality") or "",
            sort=data.get("sort_by") or SORT_RELEVANCE,
            page=page,
            per_page=per_page,
        )
