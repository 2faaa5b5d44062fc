import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.apps.address.forms import *  # noqa: F403
from oscar.core.loading import get_model

Country = get_model("address", "Country")

CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")

# Oscar's address columns, read the Chinese way: province (state), city (line4), county (line3), township (line2),
# then the street address (line1). Oscar prints line1 … line4, state: the same address read from the street upwards.
CHINESE_LABELS = {
    "first_name": _("Recipient"),
    "state": _("Province"),
    "line4": _("City"),
    "line3": _("County / district"),
    "line2": _("Township / sub-district"),
    "line1": _("Street address"),
    "postcode": _("Postcode"),
    "phone_number": _("Mobile number"),
    "notes": _("Delivery notes"),
}
CHINESE_FIELDS = ["first_name", "phone_number", "state", "line4", "line3", "line2", "line1", "postcode", "notes"]
REQUIRED = {"first_name", "phone_number", "state", "line4", "line3", "line1"}


def china():
    return Country._default_manager.get_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "中国",
            "name": "中华人民共和国",
            "is_shipping_country": True,
        },
    )[0]


class ChineseAddressMixin:
    """A Chinese address: recipient, mobile number, province, city, county and street; the country is China."""

    def arrange_chinese_fields(self):
        for name in list(self.fields):
            if name not in CHINESE_FIELDS:
                del self.fields[name]
        self.order_fields(CHINESE_FIELDS)
        for name, label in CHINESE_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].required = name in REQUIRED
                self.fields[name].error_messages["required"] = gettext("Please fill in the %(label)s.") % {
                    "label": label
                }
        self.fields["phone_number"].help_text = _("An 11-digit mainland mobile number, e.g. 13800138000.")
        self.fields["line1"].help_text = _("Village or street, building and room.")
        self.instance.country = china()

    def get_country(self):
        return self.instance.country

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise oscar_forms.forms.ValidationError(_("A postcode has six digits."))
        return postcode

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("phone_number")
        invalid = "phone_number" in self.errors
        if number and not invalid:
            national = str(getattr(number, "national_number", ""))
            invalid = getattr(number, "country_code", None) != 86 or not CN_MOBILE.match(national)
        if invalid:
            # One message for every kind of wrong number, rather than Oscar's international-format wording.
            self.errors.pop("phone_number", None)
            self.add_error("phone_number", _("Enter a mainland China mobile number: 11 digits starting with 1."))
        return cleaned_data


class UserAddressForm(ChineseAddressMixin, oscar_forms.UserAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrange_chinese_fields()
