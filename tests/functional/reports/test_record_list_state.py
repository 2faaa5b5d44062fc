"""The purchase records list keeps its filters and period through its pages and the actions taken from it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from reports.models import PurchaseRecord
from reports.periods import period_of
from tests.factories import CertifiedPartnerFactory, PurchaseRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reports-dashboard:record-list")


@pytest.fixture
def supplier():
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(staff)
    client = Client()
    client.force_login(staff)
    return {"partner": partner, "staff": staff, "client": client}


def sold_by(partner, n, **fields):
    return PurchaseRecordFactory.create_batch(n, seller_kind="supplier", supplier=partner, seller_name="", **fields)


def test_page_links_keep_the_period_and_the_confirmation_filter(supplier):
    period = period_of(timezone.localdate().replace(day=3))
    sold_by(supplier["partner"], 55, purchased_on=period.start)
    response = supplier["client"].get(LIST, {"period": period.key, "confirmation": "unconfirmed"})
    html = response.content.decode()
    assert f'href="?period={period.key}&amp;confirmation=unconfirmed&amp;page=2"' in html
    assert f'<option value="{period.key}" selected>' in html
    assert '<option value="unconfirmed" selected>' in html
    second = supplier["client"].get(LIST, {"period": period.key, "confirmation": "unconfirmed", "page": 2})
    assert second.content.decode().count("data-record=") == 5


def test_confirming_from_a_filtered_page_returns_to_that_page(supplier):
    record = sold_by(supplier["partner"], 1)[0]
    back = f"{LIST}?confirmation=unconfirmed&page=2"
    page = supplier["client"].get(LIST, {"confirmation": "unconfirmed"}).content.decode()
    assert f'name="next" value="{LIST}?confirmation=unconfirmed"' in page
    response = supplier["client"].post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]), {"action": "confirm", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert PurchaseRecord.objects.get(pk=record.pk).confirmation == "confirmed"


def test_a_dispute_returns_to_the_filtered_list_and_its_reason_shows_beside_the_record(supplier):
    record = sold_by(supplier["partner"], 1)[0]
    back = f"{LIST}?confirmation=unconfirmed"
    response = supplier["client"].post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]),
        {"action": "dispute", "reason": "<b>只送了5箱</b>", "next": back},
    )
    assert response["Location"] == back
    html = supplier["client"].get(LIST, {"confirmation": "disputed"}).content.decode()
    row = html[html.index(f'data-record="{record.pk}"') :]
    assert "&lt;b&gt;只送了5箱&lt;/b&gt;" in row[: row.index("</tr>")]


def test_a_return_address_on_another_site_is_ignored(supplier):
    record = sold_by(supplier["partner"], 1)[0]
    response = supplier["client"].post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]),
        {"action": "confirm", "next": "https://evil.example/records/"},
    )
    assert response["Location"] == LIST


def test_deleting_a_record_returns_to_the_filtered_list():
    clerk_village = PurchaseRecordFactory().village
    clerk = UserFactory(role=roles.VILLAGE, region=clerk_village)
    record = PurchaseRecordFactory(village=clerk_village, registered_by=clerk, source="village")
    client = Client()
    client.force_login(clerk)
    back = f"{LIST}?period={period_of(timezone.localdate() - timedelta(days=20)).key}"
    response = client.post(reverse("reports-dashboard:record-delete", args=[record.pk]), {"next": back})
    assert response["Location"] == back
    assert not PurchaseRecord.objects.filter(pk=record.pk).exists()
