from django import forms
from django.utils.translation import gettext_lazy as _

from shop.invoicing.models import TitleKind


class InvoiceRequestForm(forms.Form):
    title_kind = forms.ChoiceField(
        label=_("Invoice for"), choices=TitleKind.choices, initial=TitleKind.PERSON, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Invoice title (发票抬头)"), max_length=128)
    tax_number = forms.CharField(
        label=_("Taxpayer identification number"),
        max_length=20,
        required=False,
        help_text=_("Needed for a company: 15, 18 or 20 digits or capital letters."),
    )
    email = forms.EmailField(label=_("E-mail for the invoice"), required=False)


class InvoiceIssueForm(forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=32)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Invoice PDF"), required=False)
    sent_note = forms.CharField(label=_("How it was sent"), max_length=255, required=False)
