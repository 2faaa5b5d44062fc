"""Clerks correct their own records in the back office: in place before a report counts them, by an amendment after;
nobody else can."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from reports import services
from reports.models import PurchaseRecord
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def form_data(record, **changes):
    data = {
        "unit": record.unit_id,
        "village": record.village_id,
        "seller_kind": record.seller_kind,
        "seller_name": record.seller_name,
        "product_name": record.product_name,
        "category": record.category,
        "quantity": str(record.quantity),
        "unit_of_measure": record.unit_of_measure,
        "unit_price": str(record.unit_price),
        "households_benefiting": str(record.households_benefiting),
        "purchased_on": record.purchased_on.isoformat(),
        "channel": record.channel,
        "payment_method": record.payment_method,
    }
    data.update(changes)
    return data


@pytest.fixture
def record(member, unit, village):
    return PurchaseRecordFactory(
        unit=unit,
        village=village,
        seller_kind="household",
        seller_name="向大爷",
        quantity=Decimal("10"),
        unit_price=Decimal("5.00"),
        purchased_on=date(2020, 3, 5),
        registered_by=member,
        payment_method="cash",
    )


def test_an_unreported_record_is_corrected_in_place(client, member, record):
    client.force_login(member)
    listing = client.get(reverse("reports-dashboard:record-list")).content.decode()
    assert reverse("reports-dashboard:record-edit", args=[record.pk]) in listing
    response = client.post(reverse("reports-dashboard:record-edit", args=[record.pk]), form_data(record, quantity="12"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.quantity == 12 and record.amount == Decimal("60.00")
    assert PurchaseRecord.objects.count() == 1


def test_an_unreported_record_entered_by_mistake_is_deleted(client, member, record):
    client.force_login(member)
    client.post(reverse("reports-dashboard:record-delete", args=[record.pk]))
    assert not PurchaseRecord.objects.exists()


def test_a_reported_record_is_replaced_by_an_amendment_and_kept(client, member, unit, record):
    report = services.report_for(user=member, period=period_of(record.purchased_on), unit=unit)
    services.report_submit(report=report, user=member)
    client.force_login(member)
    page = client.get(reverse("reports-dashboard:record-edit", args=[record.pk])).content.decode()
    assert "更正" in page
    client.post(
        reverse("reports-dashboard:record-edit", args=[record.pk]), form_data(record, quantity="8", reason="称重有误")
    )
    original = PurchaseRecord.objects.get(pk=record.pk)
    amendment = PurchaseRecord.objects.get(amends=original)
    assert original.superseded and original.quantity == 10
    assert amendment.quantity == 8 and amendment.amount == Decimal("40.00")
    client.post(reverse("reports-dashboard:record-delete", args=[amendment.pk]))
    assert PurchaseRecord.objects.filter(pk=amendment.pk).exists()


def test_another_unit_cannot_correct_or_delete_the_record(client, record):
    stranger = UserFactory(role=roles.UNIT)
    UnitFactory().members.add(stranger)
    client.force_login(stranger)
    edit = client.post(reverse("reports-dashboard:record-edit", args=[record.pk]), form_data(record, quantity="1"))
    delete = client.post(reverse("reports-dashboard:record-delete", args=[record.pk]))
    assert edit.status_code == 404 and delete.status_code in (302, 404)
    record.refresh_from_db()
    assert record.quantity == 10


def test_the_office_above_sees_the_record_but_cannot_correct_it(client, county_reviewer, record):
    client.force_login(county_reviewer)
    response = client.post(reverse("reports-dashboard:record-edit", args=[record.pk]), form_data(record, quantity="1"))
    assert response.status_code == 403
    client.post(reverse("reports-dashboard:record-delete", args=[record.pk]))
    record.refresh_from_db()
    assert record.quantity == 10


def test_a_report_page_reads_in_chinese_with_separated_money_and_plain_quantities(client, member, unit, village):
    PurchaseRecordFactory(
        unit=unit,
        village=village,
        seller_kind="household",
        category="tea",
        quantity=Decimal("18.063"),
        unit_of_measure="斤",
        unit_price=Decimal("70000.00"),
        purchased_on=date(2020, 3, 5),
    )
    report = services.report_for(user=member, period=period_of(date(2020, 3, 5)), unit=unit)
    client.force_login(member)
    page = client.get(reverse("reports-dashboard:report-detail", args=[report.pk])).content.decode()
    assert "1,264,410.00" in page
    assert "18.063" in page and "18.0630" not in page
    assert "茶叶" in page and ">tea<" not in page
    assert ">household<" not in page
