from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from shop.address.forms import ChineseAddressMixin


class ShippingAddressForm(ChineseAddressMixin, oscar_forms.ShippingAddressForm):
    def adjust_country_field(self):
        self.arrange_chinese_fields()


TAX_NUMBER = r"^[0-9A-HJ-NPQRTUWXY]{15}$|^[0-9A-HJ-NPQRTUWXY]{18}$|^[0-9A-HJ-NPQRTUWXY]{20}$"


METHOD_DESCRIPTIONS = {
    "stripe": _("Pay at once by card, Alipay or WeChat Pay; the suppliers ship as soon as it is paid."),
    "transfer": _("Transfer the amount to the platform's account; the suppliers ship when the money arrives."),
    "cod": _("Pay the courier when the parcels arrive. Offered when every supplier in the basket accepts it."),
}


class PaymentMethodForm(forms.Form):
    """How the buyer pays, and for whom: themselves, or a unit they belong to (on account, with an invoice)."""

    method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(
        label=_("Buy for"), queryset=None, required=False, empty_label=_("Myself (personal purchase)")
    )
    invoice_title = forms.CharField(label=_("Invoice title (发票抬头)"), max_length=128, required=False)
    invoice_tax_number = forms.RegexField(
        label=_("Taxpayer identification number"),
        regex=TAX_NUMBER,
        required=False,
        error_messages={"invalid": _("A taxpayer number has 15, 18 or 20 digits or capital letters.")},
    )

    def __init__(self, *args, methods, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods
        # A choice already made stays chosen; a single choice is made for the buyer.
        if len(methods) == 1 and not self.initial.get("method"):
            self.initial["method"] = methods[0][0]
        self.fields["unit"].queryset = units
        if not units.exists():
            for name in ("unit", "invoice_title", "invoice_tax_number"):
                del self.fields[name]

    def method_options(self):
        """Each payment choice's radio button with the sentence that says what it means."""
        return [(radio, METHOD_DESCRIPTIONS.get(radio.data["value"], "")) for radio in self["method"]]

    def clean_invoice_tax_number(self):
        return (self.cleaned_data.get("invoice_tax_number") or "").strip().upper()

    def clean(self):
        cleaned_data = super().clean()
        unit = cleaned_data.get("unit")
        if unit is not None:
            if cleaned_data.get("method") and cleaned_data["method"] != "transfer":
                self.add_error("method", _("A unit pays on account by bank transfer (对公转账)."))
            if not (cleaned_data.get("invoice_title") or "").strip():
                self.add_error("invoice_title", _("Enter the invoice title, usually the unit's full name."))
            if not cleaned_data.get("invoice_tax_number") and "invoice_tax_number" not in self.errors:
                self.add_error("invoice_tax_number", _("Enter the unit's taxpayer identification number."))
        return cleaned_data
