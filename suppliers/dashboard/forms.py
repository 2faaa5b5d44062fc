from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from regions.models import COUNTY, TOWNSHIP, VILLAGE, Region
from suppliers.evidence import validate_evidence
from suppliers.models import CertificationStatus, Partner, PriceSource, ProductCertification, SupplierCertification

Product = get_model("catalogue", "Product")


class PriceProofFields(forms.Form):
    """The price proof (价格佐证) a product is certified with: all three are required."""

    reference_price = forms.DecimalField(
        label=_("Reference price"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("The same goods' price elsewhere, or in a contract or an invoice (price proof, 价格佐证)."),
    )
    reference_source = forms.ChoiceField(
        label=_("Source of the reference price"),
        choices=[("", "—"), *PriceSource.choices],
        error_messages={"required": _("Say where the reference price comes from.")},
    )
    reference_note = forms.CharField(
        label=_("Where the reference price comes from"),
        max_length=255,
        help_text=_("The shop or platform and the date, the contract's or the invoice's number."),
        error_messages={"required": _("Name the shop and date, or the contract's or the invoice's number.")},
    )


class ProductApplicationForm(PriceProofFields):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Product"))
    business_licence = forms.FileField(label=_("Business licence"), validators=[validate_evidence])
    commitment_letter = forms.FileField(label=_("Commitment letter"), validators=[validate_evidence])

    field_order = ["product", "business_licence", "commitment_letter"]

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        # Only products with no application under way and no valid certification can be applied for.
        busy = ProductCertification.objects.filter(
            status__in=[
                CertificationStatus.TOWNSHIP,
                CertificationStatus.PENDING,
                CertificationStatus.NOTICE,
                CertificationStatus.CERTIFIED,
            ]
        ).values("product")
        self.fields["product"].queryset = (
            Product.objects.filter(stockrecords__partner=partner).exclude(pk__in=busy).distinct().order_by("title")
        )


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SupplierApplicationForm(forms.Form):
    business_licence = forms.FileField(label=_("Business licence"), validators=[validate_evidence])
    commitment_letter = forms.FileField(label=_("Commitment letter"), validators=[validate_evidence])


class SupplierProfileForm(forms.ModelForm):
    """What a supplier's own staff keep up to date; the place is entered as a 12-digit region code."""

    region_code = forms.CharField(
        label=_("Region code"),
        max_length=12,
        help_text=_("The 12-digit statistical code of the township or village where the supplier is."),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "legal_name",
            "supplier_type",
            "credit_code",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "description",
            "leading_enterprise",
            "link_type",
            "link_description",
            "households_linked",
            "people_linked",
            "bank_name",
            "bank_account_name",
            "bank_account",
            "shipping_rate",
            "free_shipping_threshold",
            "allows_cash_on_delivery",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "link_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].required = True
        self.fields["legal_name"].required = True
        if self.instance.region_id:
            self.initial.setdefault("region_code", self.instance.region.code)
        self.order_fields(["name", "legal_name", "supplier_type", "credit_code", "region_code"])

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper() or None

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region has the code %(code)s.") % {"code": code})
        if region.level not in (TOWNSHIP, VILLAGE):
            raise forms.ValidationError(
                _("Give the code of a township or a village, not of a whole %(level)s.")
                % {"level": region.get_level_display()}
            )
        if self.instance.region_id and region.ancestor_at(COUNTY) != self.instance.region.ancestor_at(COUNTY):
            raise forms.ValidationError(
                _("A supplier cannot move to another county here: its certification belongs to its county office.")
            )
        return region

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("households_linked") == 0 and cleaned.get("link_type"):
            self.add_error("households_linked", _("Say how many poor households the supplier is linked with."))
        if (cleaned.get("people_linked") or 0) < (cleaned.get("households_linked") or 0):
            self.add_error("people_linked", _("A household has at least one person."))
        return cleaned

    def save(self, commit=True):
        self.instance.region = self.cleaned_data["region_code"]
        return super().save(commit=commit)


class RecordCertificateForm(forms.Form):
    """A county office enters a supplier certificate it issued before the platform existed."""

    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Supplier"))
    certificate_number = forms.RegexField(
        label=_("Certificate number"),
        regex=r"^\d{6}-\d{4}-[0-9A-Z]{3,6}$",
        error_messages={"invalid": _("Write the certificate number as on the certificate, e.g. 430822-2020-0007.")},
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.fields["partner"].queryset = Partner.objects.filter(region__code__startswith=county.prefix).order_by(
            "name"
        )

    def clean_certificate_number(self):
        number = self.cleaned_data["certificate_number"]
        if not number.startswith(self.county.code[:6]):
            raise forms.ValidationError(
                _("A certificate of %(county)s starts with %(code)s.")
                % {"county": self.county.name, "code": self.county.code[:6]}
            )
        if (
            SupplierCertification.objects.filter(certificate_number=number).exists()
            or ProductCertification.objects.filter(certificate_number=number).exists()
        ):
            raise forms.ValidationError(_("The certificate number %(number)s is already used.") % {"number": number})
        return number

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The validity must end after it starts."))
        return cleaned


class RenewalForm(forms.Form):
    """Both files optional: what is left empty keeps the evidence on file."""

    business_licence = forms.FileField(
        label=_("Business licence"),
        required=False,
        validators=[validate_evidence],
        help_text=_("Leave empty to keep the file on record."),
    )
    commitment_letter = forms.FileField(
        label=_("Commitment letter"),
        required=False,
        validators=[validate_evidence],
        help_text=_("Leave empty to keep the file on record."),
    )


class ProductRenewalForm(PriceProofFields, RenewalForm):
    """A product's renewal also states its price proof again: the certificate's, or a newer one."""

    field_order = ["business_licence", "commitment_letter"]

    def __init__(self, *args, certification, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "reference_price": certification.reference_price,
                "reference_source": certification.reference_source,
                "reference_note": certification.reference_note,
            },
        )
        super().__init__(*args, **kwargs)


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    uphold = forms.BooleanField(
        label=_("The objection is well founded: withdraw the product from the batch"), required=False
    )


class HouseholdLinkForm(forms.Form):
    mechanism = forms.ChoiceField(label=_("Mechanism"), choices=Partner.LINK_CHOICES)
    households = forms.IntegerField(label=_("Poor households linked"), min_value=0)
    rate_percent = forms.DecimalField(
        label=_("Declared share of sales reaching households (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("Wages paid, dividends or produce bought from poor households, per 100 yuan of sales."),
    )
    villages = forms.ModelMultipleChoiceField(label=_("Villages"), queryset=Region.objects.none(), required=False)
    description = forms.CharField(label=_("How it works"), max_length=255, required=False)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        county = partner.region.ancestor_at(COUNTY) if partner.region_id else None
        if county is not None:
            self.fields["villages"].queryset = Region.objects.filter(level=VILLAGE, code__startswith=county.prefix)


class ProductSourceForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("household", _("Poor household")), ("cooperative", _("Cooperative"))]
    )
    name = forms.CharField(label=_("Name"), max_length=128)
    village_code = forms.CharField(label=_("Village code"), max_length=12, help_text=_("The village's 12-digit code."))
    households = forms.IntegerField(label=_("Poor households"), min_value=1, initial=1)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = (
            Product.objects.filter(certifications__partner=partner).distinct().order_by("title")
        )

    def clean_village_code(self):
        code = self.cleaned_data["village_code"].strip()
        village = Region.objects.filter(code=code, level=VILLAGE).first()
        if village is None:
            raise forms.ValidationError(_("No village has this code."))
        return village
