from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from shop.address.forms import ChineseAddressMixin
from shop.order import recipients


class ShippingAddressForm(ChineseAddressMixin, oscar_forms.ShippingAddressForm):
    def adjust_country_field(self):
        self.arrange_chinese_fields()


TAX_NUMBER = r"^[0-9A-HJ-NPQRTUWXY]{15}$|^[0-9A-HJ-NPQRTUWXY]{18}$|^[0-9A-HJ-NPQRTUWXY]{20}$"


METHOD_DESCRIPTIONS = {
    "stripe": _("Pay at once by card, Alipay or WeChat Pay; the suppliers ship as soon as it is paid."),
    "transfer": _("Transfer the amount to the platform's account; the suppliers ship when the money arrives."),
    "cod": _("Pay the courier when the parcels arrive. Offered when every supplier in the basket accepts it."),
}


ONE_ADDRESS, MANY_ADDRESSES = "one", "many"


class PaymentMethodForm(forms.Form):
    """How the buyer pays, and for whom: themselves, or a unit they belong to (on account, with an invoice); and,
    for a unit purchaser, where it goes: to the shipping address, or to many addresses from a recipients file."""

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

    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=[
            (ONE_ADDRESS, _("To the shipping address")),
            (MANY_ADDRESSES, _("To many addresses (upload a recipients spreadsheet)")),
        ],
        initial=ONE_ADDRESS,
        required=False,
        widget=forms.RadioSelect,
    )
    recipients_file = forms.FileField(
        label=_("Recipients (.xlsx)"),
        required=False,
        help_text=_(
            "Columns: product (blank when the basket has one product), recipient, mobile number, address, quantity. "
            "Each product's quantities must add up to the basket's."
        ),
    )

    def __init__(self, *args, methods, units, purchaser_units=None, basket=None, stored_recipients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.basket = basket
        self.stored_recipients = stored_recipients or []
        self.purchaser_units = purchaser_units if purchaser_units is not None else units.none()
        self.recipient_errors = []
        if not self.purchaser_units.exists():
            # Only a unit purchaser sends a unit's order to many addresses.
            del self.fields["delivery"]
            del self.fields["recipients_file"]
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
        cleaned_data["recipient_rows"] = None
        if "delivery" in self.fields and cleaned_data.get("delivery") == MANY_ADDRESSES:
            self.clean_recipients(cleaned_data, unit)
        return cleaned_data

    def clean_recipients(self, cleaned_data, unit):
        """Read the uploaded recipients against the basket, row by row; or keep those read before, checked again."""
        if unit is None or not self.purchaser_units.filter(pk=unit.pk).exists():
            self.add_error("delivery", _("Delivery to many addresses is for an order bought for your unit."))
            return
        upload = cleaned_data.get("recipients_file")
        items = recipients.basket_items(self.basket)
        try:
            if upload is not None:
                rows = recipients.recipients_read(data=recipients.read_upload(upload), items=items)
                cleaned_data["recipients_file_name"] = upload.name
            elif self.stored_recipients:
                rows = recipients.check_rows(rows=recipients.rows_from_session(self.stored_recipients), items=items)
            else:
                self.add_error("recipients_file", _("Upload the recipients spreadsheet."))
                return
        except recipients.RecipientsRejected as error:
            self.recipient_errors = error.row_errors
            self.add_error(
                "recipients_file", _("The recipients were not accepted; correct the rows listed and upload again.")
            )
            return
        cleaned_data["recipient_rows"] = [row.as_dict() for row in rows]
