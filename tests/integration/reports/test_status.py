from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts import roles
from reports import reminders, selectors
from reports.errors import NotAllowed
from reports.models import HalfMonthReport, ReminderLog, ReportStatus
from reports.periods import period_of
from reports.status import BADGE, ReportState, report_state, status_list, unit_progress
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))  # 1st–15th March 2020, due on the 18th
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _deadline(settings):
    settings.REPORT_DEADLINE_DAYS = 3


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def filed(*, submitted_at=None, status=ReportStatus.SUBMITTED, period=PERIOD, **body):
    return HalfMonthReport.objects.create(
        period_start=period.start, period_end=period.end, status=status, submitted_at=submitted_at, **body
    )


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


@pytest.fixture
def bodies(county, village, other_village):
    """Two townships and three units of the county, a city-level unit and a unit of the next county."""
    township_a, township_b = village.parent, other_village.parent
    return {
        "township_a": township_a,
        "township_b": township_b,
        "county_unit": UnitFactory(name="县一中", level="county", region=county),
        "township_unit": UnitFactory(name="乡卫生院", level="township", region=township_a),
        "quiet_unit": UnitFactory(name="县农业局", level="county", region=county),
        "city_unit": UnitFactory(name="市直机关", region=region("430800000000", "张家界市")),
        "neighbour_unit": UnitFactory(name="慈利县医院", level="county", region=region("430821000000", "慈利县")),
    }


def states(listing):
    return {str(row.body): row.state for row in listing.rows}


def test_each_body_of_a_county_has_its_state_and_late_is_not_overdue(county, bodies):
    filed(region=bodies["township_a"], submitted_at=at(2020, 3, 18, 23, 30))  # on the deadline day, Shanghai time
    filed(unit=bodies["county_unit"], submitted_at=at(2020, 3, 19, 0, 10))  # ten minutes past it
    filed(unit=bodies["township_unit"], status=ReportStatus.DRAFT)
    filed(unit=bodies["quiet_unit"], status=ReportStatus.RETURNED, submitted_at=at(2020, 3, 16, 9))
    listing = status_list(office=county, period=PERIOD, today=date(2020, 3, 19))
    assert states(listing) == {
        str(bodies["township_a"]): ReportState.SUBMITTED,
        str(bodies["township_b"]): ReportState.OVERDUE,
        "县一中": ReportState.LATE,
        "乡卫生院": ReportState.OVERDUE,
        "县农业局": ReportState.RETURNED,
    }
    counts = {c["state"]: c["count"] for c in listing.counts}
    assert counts == {
        "not_started": 0,
        "draft": 0,
        "submitted": 1,
        "late": 1,
        "overdue": 2,
        "returned": 1,
        "approved": 0,
    }
    assert {str(row.body) for row in listing.overdue} == {str(bodies["township_b"]), "乡卫生院"}


def test_before_the_deadline_nothing_is_overdue(county, bodies):
    filed(unit=bodies["township_unit"], status=ReportStatus.DRAFT)
    listing = status_list(office=county, period=PERIOD, today=date(2020, 3, 18))
    assert states(listing)[str(bodies["township_b"])] == ReportState.NOT_STARTED
    assert states(listing)["乡卫生院"] == ReportState.DRAFT
    assert listing.overdue == []


def test_an_approved_report_stays_approved_and_is_marked_late_when_it_was(county, bodies):
    filed(unit=bodies["county_unit"], status=ReportStatus.APPROVED, submitted_at=at(2020, 3, 25, 10))
    row = next(r for r in status_list(office=county, period=PERIOD).rows if str(r.body) == "县一中")
    assert row.state == ReportState.APPROVED and row.late


def test_offices_list_only_the_bodies_that_report_to_them(county, bodies, village, other_village):
    township = status_list(office=bodies["township_a"], period=PERIOD)
    assert {str(row.body) for row in township.rows} == {str(village)}
    city = status_list(office=county.parent, period=PERIOD)
    names = {str(row.body) for row in city.rows}
    assert "市直机关" in names and "桑植县" in names and "慈利县" in names
    assert not names & {"县一中", "乡卫生院", "慈利县医院"}


def test_the_amount_is_the_reported_one_once_submitted_and_the_registered_one_before(county, bodies, village):
    PurchaseRecordFactory(unit=bodies["county_unit"], village=village, purchased_on=date(2020, 3, 4))
    PurchaseRecordFactory(unit=bodies["quiet_unit"], village=village, purchased_on=date(2020, 3, 4))
    report = filed(unit=bodies["county_unit"], submitted_at=at(2020, 3, 17, 9))
    report.figures = {"totals": {"amount": "123.45"}}
    report.save()
    rows = {str(row.body): row for row in status_list(office=county, period=PERIOD).rows}
    assert rows["县一中"].amount == Decimal("123.45") and rows["县一中"].amount_reported
    assert rows["县农业局"].amount == Decimal("800.00") and not rows["县农业局"].amount_reported
    assert rows[str(bodies["township_a"])].amount == Decimal("1600.00")
    assert rows[str(bodies["township_b"])].amount == Decimal("0.00")


def test_the_submission_overview_speaks_in_the_same_states(county, bodies):
    filed(unit=bodies["county_unit"], submitted_at=at(2020, 3, 20, 9))
    rows = {str(row["body"]): row["state"] for row in selectors.submission_overview(region=county, period=PERIOD)}
    assert rows["县一中"] == "late" and rows["县农业局"] == "overdue"


def test_every_state_has_a_chinese_label_and_its_own_badge():
    with translation.override("zh-hans"):
        labels = [str(label) for label in ReportState.labels]
    assert labels == ["未开始", "草稿", "已报送", "迟报", "逾期未报", "已退回", "已审核"]
    assert len(set(BADGE.values())) == len(ReportState.values)


def test_report_state_needs_no_report_to_tell_not_started_from_overdue():
    assert report_state(None, PERIOD, today=PERIOD.deadline) == ReportState.NOT_STARTED
    assert report_state(None, PERIOD, today=PERIOD.deadline + timedelta(days=1)) == ReportState.OVERDUE


# --- 催报 -------------------------------------------------------------------------------------------------------


@pytest.fixture
def people(bodies, county):
    member = UserFactory(role=roles.UNIT)
    bodies["township_unit"].members.add(member, UserFactory(role=roles.UNIT))
    return {
        "member": member,
        "clerk_b": UserFactory(role=roles.TOWNSHIP, region=bodies["township_b"]),
        "county": UserFactory(role=roles.COUNTY, region=county),
        "neighbour": UserFactory(role=roles.COUNTY, region=region("430821000000")),
    }


def remind(office, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return reminders.overdue_reminders_send(office=office, period=PERIOD, user=user)


def test_the_county_reminds_its_overdue_bodies_by_email_and_logs_each(
    county, bodies, people, run_tasks, django_capture_on_commit_callbacks
):
    filed(region=bodies["township_a"], submitted_at=at(2020, 3, 17, 9))
    outcome = remind(county, people["county"], django_capture_on_commit_callbacks)
    run_tasks()
    addressed = {address for message in mail.outbox for address in message.to}
    assert people["clerk_b"].email in addressed and people["member"].email in addressed
    assert all(message.subject.startswith("催报") for message in mail.outbox)
    logs = {str(log.body): log for log in ReminderLog.objects.all()}
    assert set(logs) == {str(bodies["township_b"]), "乡卫生院"}
    assert logs["乡卫生院"].recipients == 2 and logs["乡卫生院"].sent_by == people["county"]
    assert all(log.period_start == PERIOD.start for log in logs.values())
    # Overdue, but nobody there has an address: said, not logged.
    assert {str(body) for body in outcome.without_address} == {"县一中", "县农业局"}


def test_a_body_reminded_within_the_hour_is_not_reminded_again(
    county, bodies, people, run_tasks, django_capture_on_commit_callbacks
):
    remind(county, people["county"], django_capture_on_commit_callbacks)
    run_tasks()
    sent, logged = len(mail.outbox), ReminderLog.objects.count()
    again = remind(county, people["county"], django_capture_on_commit_callbacks)
    run_tasks()
    assert (len(mail.outbox), ReminderLog.objects.count()) == (sent, logged)
    assert not again.reminded and len(again.recently_reminded) == logged
    ReminderLog.objects.update(sent_at=timezone.now() - timedelta(minutes=61))
    later = remind(county, people["county"], django_capture_on_commit_callbacks)
    run_tasks()
    assert len(later.reminded) == logged and ReminderLog.objects.count() == 2 * logged


def test_nobody_but_the_office_of_the_jurisdiction_may_remind(
    county, bodies, people, run_tasks, django_capture_on_commit_callbacks
):
    for outsider in (people["neighbour"], people["member"], people["clerk_b"], UserFactory(is_superuser=True)):
        with pytest.raises(NotAllowed):
            remind(county, outsider, django_capture_on_commit_callbacks)
    run_tasks()
    assert ReminderLog.objects.count() == 0 and mail.outbox == []


def test_the_daily_reminder_is_logged_per_body_as_automatic(
    village, village_clerk, bodies, people, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.report_reminders_send(today=date(2020, 3, 17))
    run_tasks()
    logs = ReminderLog.objects.filter(period_start=PERIOD.start)
    assert sent == logs.count() == len(mail.outbox)
    assert all(log.automatic for log in logs)
    bodies_logged = {str(log.body) for log in logs}
    assert {str(village), "乡卫生院", str(bodies["township_b"])} <= bodies_logged
    assert "县一中" not in bodies_logged  # no one there to write to


# --- the unit's own progress --------------------------------------------------------------------------------------


def test_a_unit_sees_its_year_against_target_and_reserved_share(village):
    unit = UnitFactory(
        annual_target=Decimal("36500.00"), canteen_budget=Decimal("123456.78"), reserved_share_percent=Decimal("15")
    )
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 1, 10))  # 800.00
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4), superseded=True)
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2019, 12, 31))
    filed(unit=unit, submitted_at=at(2020, 1, 17, 9), period=period_of(date(2020, 1, 1)))
    progress = unit_progress(unit=unit, year=2020, today=date(2020, 3, 1))
    assert progress["spent"] == Decimal("800.00")
    # 2020 is a leap year: 1 March is day 61 of 366, and 305 days remain.
    assert (progress["days_elapsed"], progress["days_left"], progress["days_in_year"]) == (61, 305, 366)
    target = progress["target"]
    assert target["remaining"] == Decimal("35700.00")
    assert target["expected"] == Decimal("6083.33")  # 36,500 × 61 / 366 = 6,083.333…
    assert target["percent"] == Decimal("2.2")
    reserved = progress["reserved"]
    assert reserved["goal"] == Decimal("18518.52")  # 123,456.78 × 15% = 18,518.517 → half up
    assert reserved["remaining"] == Decimal("17718.52")
    periods = [(row["period"].key, row["state"]) for row in progress["periods"]]
    assert periods == [
        ("2020-03-1", "not_started"),
        ("2020-02-2", "not_started"),  # due on 3 March
        ("2020-02-1", "overdue"),
        ("2020-01-2", "overdue"),
        ("2020-01-1", "submitted"),
    ]
