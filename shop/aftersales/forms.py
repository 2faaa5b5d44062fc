from django import forms
from django.utils.translation import gettext_lazy as _

from shop.aftersales.models import ClaimReason, ClaimRemedy


class ClaimForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Problem"),
        choices=ClaimReason.choices,
        widget=forms.RadioSelect(attrs={"class": "custom-control-input"}),
    )
    remedy = forms.ChoiceField(
        label=_("What you ask for"),
        choices=ClaimRemedy.choices,
        widget=forms.RadioSelect(attrs={"class": "custom-control-input"}),
    )
    amount = forms.DecimalField(
        label=_("Amount to refund (partial refund only)"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    description = forms.CharField(label=_("What happened"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the buyer"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Reason for the decision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = forms.DecimalField(
        label=_("Amount to refund (leave empty to keep the buyer's request)"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
    )


class RefundNoteForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference of the refund"), max_length=120)
    note = forms.CharField(label=_("Note"), max_length=120, required=False)
