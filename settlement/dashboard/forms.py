from django import forms
from django.utils.translation import gettext_lazy as _


class PayForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=64)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
