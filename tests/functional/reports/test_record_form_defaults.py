"""A village clerk registers purchases in the field, on a phone: the form starts filled with what is almost always
true for them, and the receipt comes from the phone's camera."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_village_clerk_starts_with_their_village_today_and_one_household(client, village_clerk, village, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(village_clerk)
    form = client.get(reverse("reports-dashboard:record-create")).context["form"]

    assert form["village"].value() == village.pk
    assert form["purchased_on"].value() == timezone.localdate()
    assert form["households_benefiting"].value() == 1
    receipt = str(form["receipt"])
    assert 'accept="image/*"' in receipt and 'capture="environment"' in receipt
    assert "form-control-lg" in str(form["quantity"])


def test_a_correction_keeps_the_record_s_own_values(client, member, unit, village):
    from tests.factories import PurchaseRecordFactory

    record = PurchaseRecordFactory(unit=unit, village=village, households_benefiting=3)
    client.force_login(member)
    form = client.get(reverse("reports-dashboard:record-edit", args=[record.pk])).context["form"]

    assert form["households_benefiting"].value() == 3
    assert form["purchased_on"].value() == record.purchased_on
