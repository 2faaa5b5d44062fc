from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Unit
from procurement import selectors
from procurement.models import Canteen


class FilingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    canteen = forms.ChoiceField(label=_("Canteen"), choices=Canteen.choices, widget=forms.RadioSelect)
    canteen_budget = forms.DecimalField(
        label=_("Canteen food budget (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    share_percent = forms.DecimalField(
        label=_("Reserved share (%)"), max_digits=5, decimal_places=2, min_value=0, required=False
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Units eating at this canteen"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Only for a shared canteen: the other units this filing is for."),
    )
    contractor = forms.ModelChoiceField(
        label=_("Contractor running the canteen"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Only for a canteen run by a contractor: its purchases count toward the share."),
    )
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", timezone.localdate().year)
        kwargs["initial"].setdefault("canteen", Canteen.OWN)
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        # Only units answering to the same office can be named (the service checks it again for the unit chosen).
        nameable = selectors.nameable_units(units)
        self.fields["shared_with"].queryset = nameable
        self.fields["contractor"].queryset = nameable


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What the unit has to correct"), widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(forms.Form):
    comment = forms.CharField(
        label=_("The office's comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class VoucherBatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    count = forms.IntegerField(label=_("Number of vouchers"), min_value=1)
    value = forms.DecimalField(label=_("Value of each voucher (yuan)"), max_digits=10, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Occasion"), max_length=128, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class RecipientsForm(forms.Form):
    file = forms.FileField(
        label=_("Recipients (.xlsx)"),
        help_text=_("Columns: product (blank for a one-product order), recipient, mobile number, address, quantity."),
    )


class RedeemForm(forms.Form):
    code = forms.CharField(label=_("Voucher code"), max_length=20)
    product = forms.ModelChoiceField(label=_("Certified product"), queryset=None)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
