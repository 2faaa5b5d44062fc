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
    amount = forms.DecimalField(label=_("Invoice amount"), max_digits=12, decimal_places=2, required=False)
    file = forms.FileField(label=_("Invoice PDF"), required=False)
    sent_note = forms.CharField(label=_("How it was sent"), max_length=255, required=False)


class AcceptanceForm(forms.Form):
    note = forms.CharField(label=_("Acceptance note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo of the goods received"), required=False)


class VoucherForm(forms.Form):
    voucher = forms.FileField(label=_("Payment voucher (支付凭证)"))
