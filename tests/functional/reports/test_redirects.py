import pytest
from django.urls import reverse

from reports.models import Confirmation
from tests.factories import PurchaseRecordFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_an_off_site_next_after_confirming_a_purchase_goes_to_the_record_list(client, village_clerk, village, target):
    record = PurchaseRecordFactory(village=village)
    client.force_login(village_clerk)
    response = client.post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]), {"action": "confirm", "next": target}
    )
    assert response["Location"] == reverse("reports-dashboard:record-list")
    record.refresh_from_db()
    assert record.confirmation == Confirmation.CONFIRMED


def test_a_next_on_the_site_is_followed(client, village_clerk, village):
    record = PurchaseRecordFactory(village=village)
    client.force_login(village_clerk)
    response = client.post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]),
        {"action": "confirm", "next": "/shop/dashboard/reports/records/?page=2"},
    )
    assert response["Location"] == "/shop/dashboard/reports/records/?page=2"
