from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from accounts import roles
from reports import services
from reports.importing import COLUMNS
from reports.models import Confirmation, HalfMonthReport, PurchaseRecord
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_unit_member_enters_a_purchase_through_the_form(client, member, unit, village):
    page = signed_in(client, member).get(reverse("reports-dashboard:record-create"))
    assert page.status_code == 200
    response = client.post(
        reverse("reports-dashboard:record-create"),
        {
            "unit": unit.pk,
            "village": village.pk,
            "seller_kind": "household",
            "seller_name": "向大爷",
            "product_name": "土鸡",
            "category": "meat",
            "quantity": "413",
            "unit_of_measure": "只",
            "unit_price": "75.50",
            "households_benefiting": "5",
            "purchased_on": "2020-03-05",
            "channel": "village",
            "payment_method": "public_account",
        },
    )
    assert response.status_code == 302
    assert PurchaseRecord.objects.get().amount == Decimal("31181.50")


def test_a_form_with_a_bad_quantity_says_so_in_chinese_and_saves_nothing(client, member, unit, village):
    response = signed_in(client, member).post(
        reverse("reports-dashboard:record-create"),
        {
            "unit": unit.pk,
            "village": village.pk,
            "seller_kind": "household",
            "seller_name": "向大爷",
            "product_name": "土鸡",
            "category": "meat",
            "quantity": "0",
            "unit_of_measure": "只",
            "unit_price": "75",
            "households_benefiting": "0",
            "purchased_on": "2020-03-05",
            "channel": "village",
        },
    )
    assert response.status_code == 200
    assert "数量必须大于零" in response.content.decode()
    assert not PurchaseRecord.objects.exists()


def test_a_member_sees_only_their_units_records(client, member, unit, village):
    mine = PurchaseRecordFactory(unit=unit, product_name="我的腊肉")
    PurchaseRecordFactory(product_name="别人的茶叶")
    body = signed_in(client, member).get(reverse("reports-dashboard:record-list")).content.decode()
    assert mine.product_name in body and "别人的茶叶" not in body


def test_a_village_clerk_sees_only_their_village(client, village_clerk, village, other_village):
    PurchaseRecordFactory(village=village, product_name="本村腊肉")
    PurchaseRecordFactory(village=other_village, product_name="外村茶叶")
    body = signed_in(client, village_clerk).get(reverse("reports-dashboard:record-list")).content.decode()
    assert "本村腊肉" in body and "外村茶叶" not in body


def test_a_township_clerk_sees_the_villages_of_their_township_only(client, township_clerk, village):
    PurchaseRecordFactory(village=region("430822101202", "沙塔坪村"), product_name="同乡蜂蜜")
    PurchaseRecordFactory(village=region("430821101201", "外县村"), product_name="外县大米")
    body = signed_in(client, township_clerk).get(reverse("reports-dashboard:record-list")).content.decode()
    assert "同乡蜂蜜" in body and "外县大米" not in body


def test_a_reviewer_cannot_open_a_report_outside_their_jurisdiction(client, village, village_clerk):
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    outsider = UserFactory(role=roles.COUNTY, region=region("430821000000"))
    response = signed_in(client, outsider).get(reverse("reports-dashboard:report-detail", args=[report.pk]))
    assert response.status_code == 404
    response = client.get(reverse("reports-dashboard:report-download", args=[report.pk, "xlsx"]))
    assert response.status_code == 404


def test_a_buyer_sees_none_of_it(client, village):
    PurchaseRecordFactory(village=village)
    buyer = signed_in(client, UserFactory(role=roles.BUYER))
    for name in ("record-list", "record-create", "import", "report-list", "office"):
        assert buyer.get(reverse(f"reports-dashboard:{name}")).status_code in (302, 403), name


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("reports-dashboard:record-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_village_clerk_confirms_from_the_list(client, village_clerk, village):
    record = PurchaseRecordFactory(village=village)
    signed_in(client, village_clerk).post(
        reverse("reports-dashboard:record-confirm", args=[record.pk]), {"action": "confirm"}
    )
    record.refresh_from_db()
    assert record.confirmation == Confirmation.CONFIRMED


def test_a_spreadsheet_with_a_bad_row_shows_the_row_and_imports_nothing(
    client, member, unit, village, django_capture_on_commit_callbacks, run_tasks
):
    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for _k, h in COLUMNS])
    sheet.append(
        ["2020-03-05", "", "", "430822101201", "贫困户", "农户", "鸡蛋", "肉禽蛋", 3, "个", "1.5", 1, "到村到户", ""]
    )
    sheet.append(
        ["2020-13-05", "", "", "430822101201", "贫困户", "农户", "鸡蛋", "肉禽蛋", 3, "个", "1.5", 1, "到村到户", ""]
    )
    out = BytesIO()
    book.save(out)
    out.name = "登记.xlsx"
    out.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, member).post(reverse("reports-dashboard:import"), {"file": out})
    run_tasks()
    body = client.get(response.url).content.decode()
    assert "第3行" in body and "购买日期" in body
    assert not PurchaseRecord.objects.exists()


def test_the_template_downloads_as_xlsx(client, member):
    response = signed_in(client, member).get(reverse("reports-dashboard:import-template", args=["xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_township_submits_and_county_approves_through_the_pages(client, township_clerk, county_reviewer, village):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 3))
    signed_in(client, township_clerk)
    start = client.post(
        reverse("reports-dashboard:report-start"), {"period": PERIOD.key, "body": f"region:{township_clerk.region.pk}"}
    )
    report = HalfMonthReport.objects.get()
    assert start["Location"] == reverse("reports-dashboard:report-detail", args=[report.pk])
    client.post(reverse("reports-dashboard:report-action", args=[report.pk, "submit"]), {"note": "合群村本期未报送"})
    client.post(reverse("reports-dashboard:report-action", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == "submitted"
    signed_in(client, county_reviewer)
    overview = client.get(reverse("reports-dashboard:report-list") + f"?period={PERIOD.key}").content.decode()
    assert township_clerk.region.name in overview
    client.post(reverse("reports-dashboard:report-action", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.status == "approved"
    csv = client.get(reverse("reports-dashboard:report-download", args=[report.pk, "csv"]))
    assert "800.00" in csv.content.decode()


def dashboard_queries(client, reviewer):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports-dashboard:office") + "?year=2020")
    assert response.status_code == 200
    return len(queries), response


def test_the_office_dashboard_costs_the_same_queries_for_few_and_many_records(client, county_reviewer, village):
    signed_in(client, county_reviewer)
    unit = UnitFactory(region=county_reviewer.region, annual_target=Decimal("1000"))
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 3))
    few, _response = dashboard_queries(client, county_reviewer)
    for month in range(1, 13):
        other = UnitFactory(region=county_reviewer.region)
        PurchaseRecordFactory.create_batch(3, unit=other, village=village, purchased_on=date(2020, month, 20))
    many, response = dashboard_queries(client, county_reviewer)
    assert few == many
    body = response.content.decode()
    assert "chart.umd.js" in body and unit.name in body


def test_the_office_dashboard_puts_lagging_units_first_and_stays_in_its_jurisdiction(client, county_reviewer, village):
    ahead = UnitFactory(name="领先单位", region=county_reviewer.region, annual_target=Decimal("1000"))
    behind = UnitFactory(name="落后单位", region=county_reviewer.region, annual_target=Decimal("100000"))
    UnitFactory(name="外县单位", region=region("430821000000"))
    PurchaseRecordFactory(unit=ahead, village=village, purchased_on=date(2020, 3, 3))
    PurchaseRecordFactory(unit=behind, village=village, purchased_on=date(2020, 3, 3))
    PurchaseRecordFactory(village=region("430821101201"), purchased_on=date(2020, 3, 3), unit_price=Decimal("999"))
    _count, response = dashboard_queries(signed_in(client, county_reviewer), county_reviewer)
    progress = response.context["figures"]["progress"]
    names = [row["name"] for row in progress]
    assert names.index("落后单位") < names.index("领先单位") and "外县单位" not in names
    assert progress[names.index("领先单位")]["target_percent"] == Decimal("80.0")
    assert response.context["figures"]["totals"]["amount"] == Decimal("1600.00")


def test_a_unit_member_cannot_open_the_office_dashboard(client, member):
    assert signed_in(client, member).get(reverse("reports-dashboard:office")).status_code == 403
