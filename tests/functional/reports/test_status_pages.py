import calendar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from reports.models import HalfMonthReport, ReminderLog, ReportStatus
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))
STATUS = reverse("reports-dashboard:report-status")
REMIND = reverse("reports-dashboard:report-remind")


@pytest.fixture(autouse=True)
def _deadline(settings):
    settings.REPORT_DEADLINE_DAYS = 3


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


def township(n):
    return region(f"430822{n:03d}000", f"第{n}乡")


def add_bodies(county, count, start=1):
    """`count` townships that each have a clerk, and a county unit with a member per township."""
    for n in range(start, start + count):
        place = township(n)
        UserFactory(role=roles.TOWNSHIP, region=place)
        unit = UnitFactory(name=f"县直单位{n}", level="county", region=county)
        unit.members.add(UserFactory(role=roles.UNIT))
        PurchaseRecordFactory(unit=unit, village=region(f"430822{n:03d}201"), purchased_on=date(2020, 3, 4))


def test_the_county_sees_every_body_with_its_state_counts_and_a_filter(client, county_reviewer, county):
    add_bodies(county, 2)
    late = HalfMonthReport.objects.create(
        unit=UnitFactory(name="迟报单位", level="county", region=county),
        period_start=PERIOD.start,
        period_end=PERIOD.end,
        status=ReportStatus.SUBMITTED,
        submitted_at=datetime(2020, 3, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        figures={"totals": {"amount": "1234567.8"}},
    )
    UnitFactory(name="市直单位", region=region("430800000000"))
    page = signed_in(client, county_reviewer).get(STATUS, {"period": PERIOD.key})
    body = page.content.decode()
    assert page.status_code == 200
    assert "迟报单位" in body and "县直单位1" in body and "第2乡" in body and "市直单位" not in body
    assert "迟报" in body and "逾期未报" in body and "1,234,567.80" in body
    assert reverse("reports-dashboard:report-detail", args=[late.pk]) in body
    counts = {c["state"]: c["count"] for c in page.context["listing"].counts}
    assert counts["late"] == 1 and counts["overdue"] == 5  # three townships and two units
    only_late = client.get(STATUS, {"period": PERIOD.key, "state": "late"})
    assert [str(row.body) for row in only_late.context["rows"]] == ["迟报单位"]
    assert "县直单位1" not in only_late.content.decode().split('id="status-list"')[1]


def test_the_status_list_costs_the_same_queries_for_few_and_many_bodies(
    client, county_reviewer, county, django_assert_max_num_queries
):
    signed_in(client, county_reviewer)
    add_bodies(county, 2)
    with django_assert_max_num_queries(16):
        assert client.get(STATUS, {"period": PERIOD.key}).status_code == 200
    add_bodies(county, 20, start=3)
    ReminderLog.objects.create(
        period_start=PERIOD.start, unit=UnitFactory(level="county", region=county), sent_at=timezone.now(), recipients=1
    )
    with django_assert_max_num_queries(16):
        response = client.get(STATUS, {"period": PERIOD.key})
    assert len(response.context["rows"]) == 46


def test_the_default_period_is_the_one_due(client, county_reviewer):
    response = signed_in(client, county_reviewer).get(STATUS)
    assert response.context["period"] == period_of(timezone.localdate()).previous()


def test_a_village_clerk_or_a_unit_member_cannot_open_the_status_list(client, village_clerk, member):
    for outsider in (village_clerk, member):
        response = signed_in(client, outsider).get(STATUS)
        assert response.status_code == 403


def test_the_county_reminds_the_overdue_after_confirming_and_the_list_says_so(
    client, county_reviewer, county, run_tasks, django_capture_on_commit_callbacks
):
    add_bodies(county, 2)
    signed_in(client, county_reviewer)
    confirm = client.get(REMIND, {"period": PERIOD.key})
    assert confirm.status_code == 200 and "县直单位2" in confirm.content.decode()
    assert ReminderLog.objects.count() == 0  # asking is not sending
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, {"period": PERIOD.key, "office": county.code}, follow=True)
    run_tasks()
    assert ReminderLog.objects.filter(sent_by=county_reviewer).count() == 4
    assert len(mail.outbox) == 4 and all(message.subject.startswith("催报") for message in mail.outbox)
    body = response.content.decode()
    assert "已向 4 个单位发送催报邮件" in body
    assert "已催报 1 次，最近" in body
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(REMIND, {"period": PERIOD.key, "office": county.code}, follow=True)
    run_tasks()
    assert len(mail.outbox) == 4 and ReminderLog.objects.count() == 4
    assert "一小时内已催报过，本次未再催报" in again.content.decode()


def test_another_county_cannot_remind_this_countys_bodies(client, county, run_tasks):
    add_bodies(county, 1)
    neighbour = UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县"))
    response = signed_in(client, neighbour).post(REMIND, {"period": PERIOD.key, "office": county.code})
    run_tasks()
    assert response.status_code == 403
    assert "只有这些单位所报送的上级扶贫办才能催报" in response.content.decode()
    assert ReminderLog.objects.count() == 0 and mail.outbox == []


def test_a_unit_member_cannot_remind(client, member, county, run_tasks):
    add_bodies(county, 1)
    response = signed_in(client, member).post(REMIND, {"period": PERIOD.key, "office": county.code})
    run_tasks()
    assert response.status_code == 403 and ReminderLog.objects.count() == 0 and mail.outbox == []


# --- the unit's own page ---------------------------------------------------------------------------------------


def progress_url(unit):
    return reverse("reports-dashboard:unit-progress", args=[unit.pk])


def test_a_member_sees_the_units_progress_against_target_and_reserved_share(client, member, unit, village):
    today = timezone.localdate()
    unit.annual_target, unit.canteen_budget, unit.reserved_share_percent = (
        Decimal("100000"),
        Decimal("200000"),
        Decimal("15"),
    )
    unit.save()
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(today.year, 1, 1), unit_price=Decimal("250"))
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(today.year - 1, 12, 31))
    response = signed_in(client, member).get(progress_url(unit))
    assert response.status_code == 200
    progress = response.context["progress"]
    days = 366 if calendar.isleap(today.year) else 365
    elapsed = today.timetuple().tm_yday
    assert progress["spent"] == Decimal("2500.00")
    assert progress["days_left"] == days - elapsed
    expected = (Decimal("100000") * elapsed / days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert progress["target"]["expected"] == expected
    assert progress["target"]["remaining"] == Decimal("97500.00")
    assert progress["reserved"]["goal"] == Decimal("30000.00")
    assert progress["reserved"]["remaining"] == Decimal("27500.00")
    body = response.content.decode()
    assert (
        "2,500.00" in body and "97,500.00" in body and "30,000.00" in body and f"本年还剩 {days - elapsed} 天" in body
    )


def test_the_units_report_list_links_to_its_progress_page(client, member, unit):
    body = signed_in(client, member).get(reverse("reports-dashboard:report-list")).content.decode()
    assert progress_url(unit) in body


def test_the_unit_page_costs_the_same_queries_for_few_and_many_records(
    client, member, unit, village, django_assert_max_num_queries
):
    year = timezone.localdate().year
    signed_in(client, member)
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(year, 1, 1))
    with django_assert_max_num_queries(14):
        assert client.get(progress_url(unit)).status_code == 200
    PurchaseRecordFactory.create_batch(30, unit=unit, village=village, purchased_on=date(year, 1, 1))
    for month in (1, 2):
        period = period_of(date(year, month, 1))
        HalfMonthReport.objects.create(unit=unit, period_start=period.start, period_end=period.end)
        ReminderLog.objects.create(period_start=period.start, unit=unit, sent_at=timezone.now(), recipients=1)
    with django_assert_max_num_queries(14):
        assert client.get(progress_url(unit)).status_code == 200


def test_another_units_member_and_another_county_do_not_see_the_unit_page(client, unit):
    stranger = UserFactory(role=roles.UNIT)
    UnitFactory().members.add(stranger)
    neighbour = UserFactory(role=roles.COUNTY, region=region("430821000000"))
    for outsider in (stranger, neighbour):
        assert signed_in(client, outsider).get(progress_url(unit)).status_code == 404


# --- jurisdiction ---------------------------------------------------------------------------------------------


def test_a_countys_unit_table_lists_its_own_units_with_their_purchases_in_the_county(
    client, county_reviewer, city_reviewer, county, village
):
    elsewhere = region("430821101201", "外县村")
    own = UnitFactory(name="县直单位", level="county", region=county, annual_target=Decimal("10000"))
    city_unit = UnitFactory(name="市直单位", region=county.parent, annual_target=Decimal("10000"))
    for buyer in (own, city_unit):
        PurchaseRecordFactory(unit=buyer, village=village, purchased_on=date(2020, 3, 3))  # 800 in the county
        PurchaseRecordFactory(unit=buyer, village=elsewhere, purchased_on=date(2020, 3, 3))  # 800 in the next one
    county_table = signed_in(client, county_reviewer).get(reverse("reports-dashboard:office"), {"year": 2020})
    rows = {row["name"]: row for row in county_table.context["figures"]["progress"]}
    assert set(rows) == {"县直单位"}
    assert rows["县直单位"]["bought"] == Decimal("800.00") and rows["县直单位"]["target_percent"] == Decimal("8.0")
    assert "市直单位" not in county_table.content.decode().split('id="unit-progress"')[1]
    city_table = signed_in(client, city_reviewer).get(reverse("reports-dashboard:office"), {"year": 2020})
    rows = {row["name"]: row for row in city_table.context["figures"]["progress"]}
    assert rows["市直单位"]["bought"] == Decimal("1600.00") and rows["县直单位"]["bought"] == Decimal("1600.00")


def test_the_office_dashboard_shows_the_reporting_states_of_the_period_due(client, county_reviewer, county):
    add_bodies(county, 1)
    body = signed_in(client, county_reviewer).get(reverse("reports-dashboard:office")).content.decode()
    assert 'id="reporting-status"' in body and STATUS in body


def test_a_period_that_makes_no_sense_falls_back_to_the_one_due(client, county_reviewer):
    signed_in(client, county_reviewer)
    due = period_of(timezone.localdate()).previous()
    for key in ("0001-01-1", "2020-13-1", "nonsense"):
        response = client.get(STATUS, {"period": key})
        assert response.status_code == 200 and response.context["period"] == due
