from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import PurchaseRecord, UnitOfMeasure, unit_of_measure_code
from suppliers.models import Partner, SupplierCertification

# The date forms Chinese spreadsheets and clerks write: 2021-03-05, 2021-3-5, 2021/3/5, 2021.3.5, 2021年3月5日.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
]

# Units a new record may be counted in; "other" is only what older free-text units became.
ENTRY_UNITS_OF_MEASURE = [(code, label) for code, label in UnitOfMeasure.choices if code != UnitOfMeasure.OTHER]


class UnitOfMeasureChoiceField(forms.ChoiceField):
    """A unit of measure chosen from the list, or written by its name (斤, 箱) or code; kept as its code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("", "---------"), *ENTRY_UNITS_OF_MEASURE])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return unit_of_measure_code(value) or value

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                _("“%(value)s” is not a unit of measure records are kept in; use one of %(names)s."),
                code="invalid_choice",
                params={"value": value, "names": "、".join(str(label) for _code, label in ENTRY_UNITS_OF_MEASURE)},
            ) from error


class CountField(forms.IntegerField):
    """A whole number of at least zero; left empty, it is zero."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return 0 if cleaned is None else cleaned


class RecordForm(forms.ModelForm):
    """The rules of one purchase record, field by field. The import holds each spreadsheet row to these very fields
    (reports.importing.RowChecker) and both end in the model's clean(), so the form and the import accept and refuse
    the same rows with the same messages."""

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
        # A date input reads and writes ISO dates only: the localised form (2020年3月5日) would leave it empty.
        widgets = {"purchased_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, units, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["village"].queryset = villages
        certified = SupplierCertification.objects.valid().values("partner")
        self.fields["supplier"].queryset = Partner.objects.filter(pk__in=certified)
        self.fields["product"].required = False
        self.fields["product"].widget = forms.HiddenInput()
        self.fields["product_name"].help_text = _("A certified product's name, or the produce bought at a household.")
        self.fields["purchased_on"].input_formats = DATE_INPUT_FORMATS
        self.fields["unit_of_measure"] = UnitOfMeasureChoiceField(label=self.fields["unit_of_measure"].label)
        households = self.fields["households_benefiting"]
        self.fields["households_benefiting"] = CountField(label=households.label, initial=0)
        if not self.is_bound and self.instance.pk is None:
            # A clerk in the field: their own village (or the unit's one paired village), today, one household.
            only_village = list(villages[:2])
            if len(only_village) == 1:
                self.initial.setdefault("village", only_village[0].pk)
            only_unit = list(units[:2])
            if len(only_unit) == 1:
                self.initial.setdefault("unit", only_unit[0].pk)
            self.initial.setdefault("purchased_on", timezone.localdate())
            self.initial.setdefault("households_benefiting", 1)
        # The receipt is photographed with the phone's camera where there is one.
        self.fields["receipt"].widget.attrs.update({"accept": "image/*", "capture": "environment"})
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.HiddenInput, forms.FileInput)):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")


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
