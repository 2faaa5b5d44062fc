"""The half-month bulletin (通报) on a generated data set: its sections, its .xlsx, its e-mails through the queue."""

import io
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from openpyxl import load_workbook

from accounts import roles
from organisations.models import Unit
from procurement import bulletins, services
from procurement.models import Bulletin, BulletinStatus, Canteen
from procurement.tasks import bulletins_generate
from reports.models import ReportingOffice
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2026, 6, 20))  # 16th–30th June: day 181 of 365, 49.6% of the year gone


@pytest.fixture
def county():
    region("430800000000", "张家界市")
    return region("430822000000", "桑植县")


@pytest.fixture
def reviewer(county):
    return UserFactory(role=roles.COUNTY, region=county, email="reviewer@sangzhi.example.cn")


def unit_with_share(name, county, *amounts, budget="100000", percent="10", canteen=Canteen.OWN):
    unit = UnitFactory(name=name, region=county, level=Unit.Level.COUNTY)
    member = UserFactory(role=roles.UNIT, email=f"{unit.pk}@units.example.cn")
    unit.members.add(member)
    services.filing_submit(
        unit=unit,
        year=2026,
        user=member,
        canteen=canteen,
        canteen_budget=Decimal(budget),
        share_percent=Decimal(percent),
    )
    for amount in amounts:
        PurchaseRecordFactory(
            unit=unit, quantity=Decimal("1"), unit_price=Decimal(amount), purchased_on=date(2026, 5, 5)
        )
    return unit


@pytest.fixture
def data_set(county):
    return {
        "idle": unit_with_share("桑植县档案局", county),
        # 10,000 reserved, 49.6% of the year gone: behind at under 39.6%, on track above
        "behind": unit_with_share("桑植县林业局", county, "3000.00"),
        "close": unit_with_share("桑植县水利局", county, "4000.00"),
        "ahead": unit_with_share("桑植县教育局", county, "9000.00"),
        "no_canteen": unit_with_share("桑植县科协", county, canteen=Canteen.NONE, budget="0", percent="0"),
        "late": unit_with_share("桑植县交通局", county, "8000.00"),
    }


def test_a_bulletin_ranks_the_units_and_names_the_idle_the_lagging_and_the_overdue(county, data_set):
    late = data_set["late"]
    PurchaseRecordFactory(unit=late, quantity=Decimal("1"), unit_price=Decimal("99.00"), purchased_on=date(2026, 7, 2))
    overdue = [{"unit_id": late.pk, "orders": 2, "amount": Decimal("4567.80")}]
    bulletin, created = bulletins.bulletin_generate(office=county, period=PERIOD, overdue=overdue)
    assert created
    contents = bulletin.contents
    assert contents["as_of"] == "2026-06-30" and contents["expected_percent"] == "49.6"
    assert [(row["rank"], row["unit"], row["percent"]) for row in contents["units"]] == [
        (1, "桑植县教育局", "90.0"),
        (2, "桑植县交通局", "80.0"),  # the purchase after the period does not count
        (3, "桑植县水利局", "40.0"),
        (4, "桑植县林业局", "30.0"),
        (5, "桑植县档案局", "0.0"),
        (None, "桑植县科协", None),
    ]
    assert [row["unit"] for row in contents["idle"]] == ["桑植县档案局"]
    assert [row["unit"] for row in contents["behind"]] == ["桑植县林业局", "桑植县档案局"]
    assert contents["overdue"] == [{"unit_id": late.pk, "unit": "桑植县交通局", "orders": 2, "amount": "4567.80"}]
    assert set(bulletin.named_units.values_list("name", flat=True)) == {"桑植县档案局", "桑植县林业局", "桑植县交通局"}
    again, created = bulletins.bulletin_generate(office=county, period=PERIOD, overdue=[])
    assert again == bulletin and not created


def test_the_margin_is_configurable(county, data_set, settings):
    settings.PROCUREMENT_BEHIND_MARGIN_POINTS = Decimal("5")
    bulletin, _created = bulletins.bulletin_generate(office=county, period=PERIOD, overdue=[])
    assert [row["unit"] for row in bulletin.contents["behind"]] == ["桑植县水利局", "桑植县林业局", "桑植县档案局"]


def test_the_scheduled_task_makes_each_offices_bulletin_once(county, data_set, run_tasks):
    city = region("430800000000")
    with mock.patch("procurement.bulletins.timezone.localdate", return_value=date(2026, 7, 1)):
        bulletins_generate.enqueue()
        run_tasks()
        bulletins_generate.enqueue()
        run_tasks()
    assert sorted(Bulletin.objects.values_list("office__name", "period_start")) == [
        ("张家界市", date(2026, 6, 16)),
        ("桑植县", date(2026, 6, 16)),
    ]
    assert Bulletin.objects.get(office=city).contents["counties"][0]["name"] == "桑植县"


def test_the_office_comments_and_sends_it_to_itself_and_the_units_named_through_the_queue(
    county, data_set, reviewer, run_tasks, django_capture_on_commit_callbacks
):
    ReportingOffice.objects.create(region=county, name="桑植县扶贫开发办公室", email="fupin@sangzhi.example.cn")
    bulletin, _created = bulletins.bulletin_generate(office=county, period=PERIOD, overdue=[])
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.bulletin_send(bulletin=bulletin, user=reviewer, comment="请落后单位本月底前完成序时进度。")
    assert mail.outbox == []
    run_tasks()
    assert len(mail.outbox) == 2
    to_office, to_units = mail.outbox
    assert sorted(to_office.to) == ["fupin@sangzhi.example.cn", "reviewer@sangzhi.example.cn"]
    named = {data_set["idle"].pk, data_set["behind"].pk}
    assert sorted(to_units.to) == sorted(f"{pk}@units.example.cn" for pk in named)
    assert "桑植县档案局" in to_office.body and "请落后单位本月底前完成序时进度。" in to_office.body
    name, content, mimetype = to_units.attachments[0]
    book = load_workbook(io.BytesIO(content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "排名" and rows[1][:2] == (1, "桑植县教育局")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT and bulletin.sent_by == reviewer


def test_another_office_cannot_send_it(county, data_set):
    bulletin, _created = bulletins.bulletin_generate(office=county, period=PERIOD, overdue=[])
    other = UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县"))
    with pytest.raises(bulletins.NotAllowed):
        bulletins.bulletin_send(bulletin=bulletin, user=other, comment="x")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and bulletin.comment == ""


def test_overdue_payments_come_from_the_invoicing_selector_when_the_site_has_it(county, data_set):
    # Without the invoicing app the section is empty rather than broken.
    assert bulletins.overdue_payments(units=[data_set["late"]], today=date(2026, 6, 30)) == []
