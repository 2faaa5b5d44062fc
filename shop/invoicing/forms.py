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
    """The optional invoice section of checkout: 不开发票 (the default), 个人 or 单位, then the same request as after the
    order, checked the same way. The title and taxpayer number are asked for only once 个人 or 单位 is chosen."""

    prefix = "invoice"
    field_order = ["title_kind", "title", "tax_number", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_kind"] = forms.ChoiceField(
            label=_("Invoice (发票)"),
            choices=[("", _("No invoice")), *TitleKind.choices],
            initial="",
            required=False,
            widget=forms.RadioSelect,
        )
        # Needed only once an invoice is chosen; clean() asks for them then.
        self.fields["title"].required = False

    @property
    def chosen_kind(self):
        """The kind chosen (bound) or preselected: "" for no invoice, which keeps the details folded away."""
        return (self["title_kind"].value() or "") if self.is_bound else (self.initial.get("title_kind") or "")

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("title_kind"):
            self.errors.clear()
            return {"title_kind": ""}
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
        if not self.cleaned_data.get("title_kind"):
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
