from django import forms
from django.utils.translation import gettext_lazy as _

from shop.invoicing.models import TitleKind
from shop.invoicing.services import InvoiceError, invoice_title_clean


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


class CheckoutInvoiceForm(InvoiceRequestForm):
    """The optional 需要发票 section of checkout: the same request as after the order, checked the same way."""

    prefix = "invoice"
    field_order = ["wanted", "title_kind", "title", "tax_number", "email"]

    wanted = forms.BooleanField(label=_("I need an invoice (需要发票)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed only once the box is ticked; clean() asks for them then.
        self.fields["title"].required = False

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("wanted"):
            self.errors.clear()
            return {"wanted": False}
        if self.errors:
            return cleaned_data
        try:
            title, tax_number = invoice_title_clean(
                title_kind=cleaned_data.get("title_kind"),
                title=cleaned_data.get("title"),
                tax_number=cleaned_data.get("tax_number"),
            )
        except InvoiceError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return cleaned_data
        cleaned_data.update(title=title, tax_number=tax_number)
        return cleaned_data

    def request_details(self):
        """What the placement needs to make the request, or None when no invoice is wanted."""
        if not self.cleaned_data.get("wanted"):
            return None
        return {key: self.cleaned_data.get(key) or "" for key in ("title_kind", "title", "tax_number", "email")}


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
