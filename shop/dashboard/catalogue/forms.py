from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms

from regions.models import COUNTY, TOWNSHIP, VILLAGE, Region


class ProductForm(oscar_forms.ProductForm):
    """Oscar's product form with the facts a certificate names: specification, unit and origin (by region code)."""

    origin_code = forms.CharField(
        label=_("Origin region code"),
        max_length=12,
        required=False,
        help_text=_("The 12-digit statistical code of the county, township or village where it is grown or made."),
    )

    class Meta(oscar_forms.ProductForm.Meta):
        fields = [*oscar_forms.ProductForm.Meta.fields, "specification", "sales_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.origin_id:
            self.initial.setdefault("origin_code", self.instance.origin.code)

    def clean_origin_code(self):
        code = self.cleaned_data["origin_code"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region has the code %(code)s.") % {"code": code})
        if region.level not in (COUNTY, TOWNSHIP, VILLAGE):
            raise forms.ValidationError(_("Give the code of a county, a township or a village."))
        return region

    def clean(self):
        cleaned = super().clean()
        if "origin_code" in cleaned:
            self.instance.origin = cleaned["origin_code"]
        return cleaned
