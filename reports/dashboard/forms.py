from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import PurchaseRecord
from suppliers.models import Partner, SupplierCertification


class RecordForm(forms.ModelForm):
    class Meta:
        model = PurchaseRecord
        fields = [
            "unit",
            "helper_name",
            "village",
            "seller_kind",
            "supplier",
            "seller_name",
            "product",
            "product_name",
            "category",
            "quantity",
            "unit_of_measure",
            "unit_price",
            "households_benefiting",
            "purchased_on",
            "channel",
            "payment_method",
            "receipt",
        ]
        widgets = {"purchased_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, units, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["village"].queryset = villages
        certified = SupplierCertification.objects.valid().values("partner")
        self.fields["supplier"].queryset = Partner.objects.filter(pk__in=certified)
        self.fields["product"].required = False
        self.fields["product"].widget = forms.HiddenInput()
        self.fields["product_name"].help_text = _("A certified product's name, or the produce bought at a household.")


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("Why the purchase is disputed"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3}))


class AmendReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the reported purchase is corrected"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the reported purchase is corrected.")},
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Preparer's explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when the total differs from the reports below, or when one of them is missing or returned."
        ),
    )
