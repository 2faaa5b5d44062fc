"""An office's report page reconciles it with the reports below: each one's status and amount, their sum, and the
difference, which must be zero or explained before the office above approves."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from reports import reconciliation, services
from reports.models import HalfMonthReport, ReportStatus
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UserFactory, region

pytestmark = pytest.mark.django_db

DAY = date(2020, 3, 5)
PERIOD = period_of(DAY)


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def second_village(village):
    return region(village.code[:9] + "202", "二组村")


def buy(village, amount_quantity, price="10.00"):
    return PurchaseRecordFactory(
        village=village, purchased_on=DAY, quantity=Decimal(amount_quantity), unit_price=Decimal(price)
    )


def village_reports(villages, approve_by=None):
    reports = []
    for village in villages:
        clerk = UserFactory(role=roles.VILLAGE, region=village)
        report = services.report_submit(
            report=services.report_for(user=clerk, period=PERIOD, region=village), user=clerk
        )
        if approve_by is not None:
            report = services.report_approve(report=report, user=approve_by)
        reports.append((clerk, report))
    return reports


def action(client, report, name, **data):
    return client.post(reverse("reports-dashboard:report-action", args=[report.pk, name]), data, follow=True)


def test_township_page_adds_up_its_villages_and_shows_the_line(client, village, second_village, township_clerk):
    buy(village, "10")
    buy(village, "2.5", "4.44")
    late = buy(second_village, "3", "33.33")  # 二组村 never reports
    village_reports([village], approve_by=township_clerk)
    report = services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region)
    client.force_login(township_clerk)
    page = client.get(reverse("reports-dashboard:report-detail", args=[report.pk])).content.decode()

    assert "与下级报表核对" in page
    assert f'data-body="{village.code}"' in page and f'data-body="{second_village.code}"' in page
    with translation.override("zh-hans"):
        approved = str(ReportStatus.APPROVED.label)
    assert approved in page and "缺报" in page
    result = reconciliation.reconcile(report)
    assert result.children_amount == Decimal("111.10")
    assert result.own_amount == Decimal("111.10") + late.amount
    assert result.line == late.amount == Decimal("99.99")
    assert (result.added_amount, result.added_records) == (Decimal("99.99"), 1)
    assert '<td class="text-right" id="reconciliation-line">99.99</td>' in page
    assert '<td class="text-right" id="children-amount">111.10</td>' in page


def test_a_township_submitting_over_a_missing_village_must_explain_and_the_reviewer_reads_it(
    client, village, second_village, township_clerk, county_reviewer
):
    buy(village, "10")
    buy(second_village, "1")
    village_reports([village], approve_by=township_clerk)
    report = services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region)
    client.force_login(township_clerk)

    refused = action(client, report, "submit", note="  ").content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.record_links.exists()
    assert "请在填报说明中解释" in refused and "二组村 未报送报表" in refused

    action(client, report, "submit", note="二组村村委换届，本期由乡镇代为核实 <b>无误</b>")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    client.force_login(county_reviewer)
    page = client.get(reverse("reports-dashboard:report-detail", args=[report.pk])).content.decode()
    assert "二组村村委换届" in page and "&lt;b&gt;无误&lt;/b&gt;" in page
    action(client, report, "approve")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_the_county_cannot_approve_an_unexplained_difference(
    client, village, second_village, township_clerk, county_reviewer
):
    record = buy(village, "10")
    buy(second_village, "5")
    (clerk, first), _second = village_reports([village, second_village], approve_by=township_clerk)
    report = services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region)
    report = services.report_submit(report=report, user=township_clerk)  # all reported, nothing to explain
    assert reconciliation.reconcile(report).line == 0

    # Afterwards the village corrects a purchase and its amendment report is approved: the township's frozen total
    # no longer equals its villages'.
    services.record_amend(record=record, user=clerk, reason="少登了数量", quantity=Decimal("12"))
    amendment = services.report_submit(report=services.report_amend(report=first, user=clerk), user=clerk)
    services.report_approve(report=amendment, user=township_clerk)

    client.force_login(county_reviewer)
    page = action(client, report, "approve").content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "该报表不能审核通过" in page and "-20.00" in page
    result = reconciliation.reconcile(report)
    assert result.line == Decimal("-20.00")
    assert (result.added_amount, result.dropped_amount) == (Decimal("100.00"), Decimal("120.00"))

    # Returned, explained and resubmitted, it is approved.
    action(client, report, "return", comment="请说明与村报表的差额")
    client.force_login(township_clerk)
    action(client, report, "submit", note="合群村更正后增加 20 元，已在更正报表中核实")
    client.force_login(county_reviewer)
    action(client, report, "approve")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_returned_village_report_blocks_approval_until_explained(
    village, second_village, township_clerk, county_reviewer
):
    buy(village, "10")
    buy(second_village, "5")
    (_clerk, _first), (_other, second) = village_reports([village, second_village])
    report = services.report_submit(
        report=services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region),
        user=township_clerk,
    )
    services.report_return(report=second, user=township_clerk, comment="票据不全")
    with pytest.raises(services.NotAllowed) as refused:
        services.report_approve(report=report, user=county_reviewer)
    assert "二组村 的报表已被退回" in " ".join(refused.value.messages)


def test_the_county_page_reconciles_townships_and_lists_its_units(
    client, village, unit, county_reviewer, township_clerk
):
    buy(village, "10")
    village_reports([village], approve_by=township_clerk)
    township = services.report_submit(
        report=services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region),
        user=township_clerk,
    )
    county = services.report_for(user=county_reviewer, period=PERIOD, region=county_reviewer.region)
    result = reconciliation.reconcile(county)
    rows = {row.body: row for row in result.rows}
    assert rows[township_clerk.region].counted == township
    assert rows[unit].is_unit and rows[unit].missing
    assert result.line == 0 and result.needs_explanation  # the unit has not reported
    client.force_login(county_reviewer)
    page = client.get(reverse("reports-dashboard:report-detail", args=[county.pk])).content.decode()
    assert f'data-body="unit-{unit.pk}"' in page


def test_another_township_can_neither_see_nor_act_on_the_report(client, village, township_clerk):
    buy(village, "10")
    report = services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region)
    outsider = UserFactory(role=roles.TOWNSHIP, region=region("430822102000", "另一乡"))
    client.force_login(outsider)
    assert client.get(reverse("reports-dashboard:report-detail", args=[report.pk])).status_code == 404
    response = client.post(reverse("reports-dashboard:report-action", args=[report.pk, "submit"]), {"note": "x"})
    assert response.status_code == 404
    other_county = UserFactory(role=roles.COUNTY, region=region("430821000000", "另一县"))
    services.report_submit(report=report, user=township_clerk, note="合群村未报")
    client.force_login(other_county)
    assert client.post(reverse("reports-dashboard:report-action", args=[report.pk, "approve"])).status_code == 404
    assert HalfMonthReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("villages", [2, 8])
def test_the_township_page_reads_a_bounded_number_of_queries(
    client, township_clerk, village, villages, django_assert_max_num_queries
):
    places = [region(village.code[:9] + f"{300 + n}", f"村{n}") for n in range(villages)]
    for place in places:
        buy(place, "2")
        buy(place, "3")
    village_reports(places[: villages // 2], approve_by=township_clerk)
    report = services.report_for(user=township_clerk, period=PERIOD, region=township_clerk.region)
    client.force_login(township_clerk)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("reports-dashboard:report-detail", args=[report.pk]))
    assert page.content.decode().count("缺报") >= villages // 2
