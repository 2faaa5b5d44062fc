"""A record's page: the record, the reports that counted it, its amendments and every logged change; corrections
from there; and the refusal that points a late purchase to an amendment of its period."""

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

DAY = date(2020, 3, 5)


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def record(village, village_clerk):
    return PurchaseRecordFactory(
        unit=None,
        helper_name="王干部",
        village=village,
        seller_kind="household",
        seller_name="向大爷",
        quantity=Decimal("10"),
        unit_price=Decimal("5.00"),
        purchased_on=DAY,
        registered_by=village_clerk,
        payment_method="cash",
    )


def form_data(record, **changes):
    data = {
        "helper_name": record.helper_name,
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


def page_of(client, record):
    return client.get(reverse("reports-dashboard:record-detail", args=[record.pk])).content.decode()


def approved(village_clerk, township_clerk, village):
    report = services.report_for(user=village_clerk, period=period_of(DAY), region=village)
    services.report_submit(report=report, user=village_clerk)
    return services.report_approve(report=report, user=township_clerk)


def test_an_unreported_record_is_corrected_and_the_change_shows_on_its_page(client, village_clerk, record):
    client.force_login(village_clerk)
    assert 'id="edit-record"' in page_of(client, record)
    edit = reverse("reports-dashboard:record-edit", args=[record.pk])
    response = client.post(edit, form_data(record, quantity="12"))
    assert response["Location"] == reverse("reports-dashboard:record-detail", args=[record.pk])
    page = page_of(client, record)
    assert "直接修改" in page and "50.00" in page and "60.00" in page
    assert (village_clerk.get_full_name() or village_clerk.email) in page


def test_a_reported_record_is_amended_from_its_page_with_a_reason_and_counted_once(
    client, village, village_clerk, township_clerk, record
):
    report = approved(village_clerk, township_clerk, village)
    client.force_login(village_clerk)
    page = page_of(client, record)
    assert 'id="amend-record"' in page and 'id="edit-record"' not in page and report.body.name in page

    edit = reverse("reports-dashboard:record-edit", args=[record.pk])
    without_reason = client.post(edit, form_data(record, quantity="8")).content.decode()
    assert "请说明更正这笔已上报采购的原因" in without_reason
    assert PurchaseRecord.objects.count() == 1

    response = client.post(edit, form_data(record, quantity="8", reason="称重有误<script>"))
    amendment = PurchaseRecord.objects.get(amends=record)
    assert response["Location"] == reverse("reports-dashboard:record-detail", args=[amendment.pk])

    original_page = page_of(client, record)
    assert 'id="superseded-mark"' in original_page and "已更正" in original_page
    assert "称重有误&lt;script&gt;" in original_page and "称重有误<script>" not in original_page
    assert reverse("reports-dashboard:record-detail", args=[amendment.pk]) in original_page
    assert "40.00" in page_of(client, amendment)

    live = services.body_records(services.report_amend(report=report, user=village_clerk))
    assert list(live.values_list("pk", flat=True)) == [amendment.pk]


def test_a_purchase_in_a_submitted_period_is_refused_with_a_link_to_the_report(client, village, village_clerk, record):
    report = services.report_for(user=village_clerk, period=period_of(DAY), region=village)
    services.report_submit(report=report, user=village_clerk)
    client.force_login(village_clerk)
    response = client.post(reverse("reports-dashboard:record-create"), form_data(record, seller_name="李大姐"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "半月报已报送" in page and "退回" in page
    assert reverse("reports-dashboard:report-detail", args=[report.pk]) in page
    assert PurchaseRecord.objects.count() == 1


def test_a_late_purchase_is_registered_into_an_open_amendment(client, village, village_clerk, township_clerk, record):
    report = approved(village_clerk, township_clerk, village)
    client.force_login(village_clerk)
    refused = client.post(reverse("reports-dashboard:record-create"), form_data(record, seller_name="李大姐"))
    assert "开始填报更正报表" in refused.content.decode()
    client.post(reverse("reports-dashboard:report-action", args=[report.pk, "amend"]))
    accepted = client.post(reverse("reports-dashboard:record-create"), form_data(record, seller_name="李大姐"))
    assert accepted.status_code == 302
    late = PurchaseRecord.objects.get(seller_name="李大姐")
    assert not late.locked and not late.reported


def test_other_units_and_sellers_do_not_see_the_record(client, record):
    stranger = UserFactory(role=roles.UNIT)
    UnitFactory().members.add(stranger)
    client.force_login(stranger)
    assert client.get(reverse("reports-dashboard:record-detail", args=[record.pk])).status_code == 404
    seller = UserFactory(role=roles.SUPPLIER)
    client.force_login(seller)
    assert client.get(reverse("reports-dashboard:record-detail", args=[record.pk])).status_code == 404


def test_the_office_above_reads_the_page_but_is_offered_no_correction(client, county_reviewer, record):
    client.force_login(county_reviewer)
    page = page_of(client, record)
    assert "向大爷" in page and 'id="edit-record"' not in page and 'id="amend-record"' not in page


@pytest.mark.parametrize("changes", [1, 6])
def test_the_record_page_reads_a_bounded_number_of_queries(
    client, village_clerk, record, changes, django_assert_max_num_queries
):
    for n in range(changes):
        services.record_update(record=record, user=village_clerk, quantity=Decimal(11 + n))
    client.force_login(village_clerk)
    with django_assert_max_num_queries(25):
        page = page_of(client, record)
    assert page.count("直接修改") == changes
