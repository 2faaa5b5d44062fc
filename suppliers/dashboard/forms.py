from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from suppliers.evidence import validate_evidence

Product = get_model("catalogue", "Product")


class ProductApplicationForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Product"))
    business_licence = forms.FileField(label=_("Business licence"), validators=[validate_evidence])
    commitment_letter = forms.FileField(label=_("Commitment letter"), validators=[validate_evidence])

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(stockrecords__partner=partner).distinct()


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
