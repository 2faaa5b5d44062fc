from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from accounts import roles
from reports import rollup, selectors, services
from reports.errors import IllegalTransition, NotAllowed, RecordLocked
from reports.models import ReportingOffice, ReportStatus
from reports.outputs import report_csv
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UnitFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))


def spread_records(village, other_village, unit):
    second_unit = UnitFactory()
    rows = [
        PurchaseRecordFactory(
            unit=unit,
            village=village,
            purchased_on=date(2020, 3, 1),
            quantity=Decimal("5130"),
            unit_of_measure="斤",
            unit_price=Decimal("2.80"),
            category="grain",
            confirmation="confirmed",
        ),
        PurchaseRecordFactory(
            unit=unit,
            village=village,
            purchased_on=date(2020, 3, 15),
            quantity=Decimal("413"),
            unit_price=Decimal("75.50"),
            households_benefiting=3,
        ),
        PurchaseRecordFactory(
            unit=second_unit,
            village=other_village,
            purchased_on=date(2020, 3, 9),
            quantity=Decimal("2.5"),
            unit_of_measure="箱",
            unit_price=Decimal("168.00"),
            category="tea",
        ),
        PurchaseRecordFactory(
            unit=None,
            helper_name="刘干部",
            village=village,
            purchased_on=date(2020, 3, 7),
            quantity=Decimal("3"),
            unit_price=Decimal("33.33"),
            confirmation="disputed",
        ),
    ]
    # Outside the period or replaced: never counted.
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 16))
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 2, 29))
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 2), superseded=True)
    return rows


def test_county_totals_equal_an_independent_sum_over_the_same_records(village, other_village, unit):
    rows = spread_records(village, other_village, unit)
    county = region("430822000000")
    figures = rollup.figures(selectors.records_for_body(body=county, period=PERIOD))
    totals = figures["totals"]
    assert totals["amount"] == sum(r.quantity * r.unit_price for r in rows).quantize(Decimal("0.01"))
    assert totals["records"] == 4
    assert totals["units"] == 2 and totals["helpers"] == 1
    assert totals["households"] == sum(r.households_benefiting for r in rows)
    assert totals["confirmed_amount"] == rows[0].amount
    assert totals["unconfirmed_amount"] == totals["amount"] - rows[0].amount - rows[3].amount
    assert totals["disputed_amount"] == rows[3].amount
    quantities = {q["unit_of_measure"]: q["quantity"] for q in figures["quantities"]}
    assert quantities == {"jin": Decimal("5130"), "animal": Decimal("416"), "box": Decimal("2.5")}
    assert {c["category"]: c["amount"] for c in figures["categories"]}["tea"] == Decimal("420.00")
    assert [c["county"] for c in figures["counties"]] == ["430822"]
    village_only = rollup.totals(selectors.records_for_body(body=village, period=PERIOD))
    assert village_only["records"] == 3


def test_a_report_rolls_up_the_units_own_records(village, other_village, unit):
    rows = spread_records(village, other_village, unit)
    totals = rollup.totals(selectors.records_for_body(body=unit, period=PERIOD))
    assert totals["amount"] == rows[0].amount + rows[1].amount


def test_village_report_goes_to_the_township_which_approves_and_locks_its_records(
    village, village_clerk, township_clerk, unit
):
    record = PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=village_clerk)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.figures["totals"]["records"] == 1
    record.refresh_from_db()
    assert record.reported and not record.locked
    services.report_approve(report=report, user=township_clerk, comment="同意")
    report.refresh_from_db()
    record.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and record.locked
    with pytest.raises(RecordLocked):
        services.record_update(record=record, user=village_clerk, quantity=Decimal("1"))
    log = list(report.status_changes.values_list("from_status", "to_status", "changed_by", "comment"))
    assert log == [("draft", "submitted", village_clerk.pk, ""), ("submitted", "approved", township_clerk.pk, "同意")]


def test_nobody_approves_their_own_report_nor_a_report_outside_their_office(village, township_clerk):
    township = township_clerk.region
    report = services.report_for(user=township_clerk, period=PERIOD, region=township)
    services.report_submit(report=report, user=township_clerk, note="合群村本期未报送")
    with pytest.raises(NotAllowed):
        services.report_approve(report=report, user=township_clerk)
    with pytest.raises(NotAllowed):
        services.report_approve(report=report, user=UserFactory(role=roles.COUNTY, region=region("430821000000")))
    with pytest.raises(NotAllowed):
        services.report_for(user=township_clerk, period=PERIOD, region=village)


def test_illegal_moves_are_refused_and_a_returned_report_is_resubmitted(village, village_clerk, township_clerk):
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    with pytest.raises(IllegalTransition):
        services.report_approve(report=report, user=township_clerk)
    services.report_submit(report=report, user=village_clerk)
    with pytest.raises(IllegalTransition):
        services.report_submit(report=report, user=village_clerk)
    with pytest.raises(ValidationError) as error:
        services.report_return(report=report, user=township_clerk, comment="")
    assert "comment" in error.value.message_dict
    services.report_return(report=report, user=township_clerk, comment="数量有误，请核对")
    services.report_submit(report=report, user=village_clerk)
    report.refresh_from_db()
    assert report.status == ReportStatus.RESUBMITTED
    services.report_approve(report=report, user=township_clerk)
    report.refresh_from_db()
    with pytest.raises(IllegalTransition):
        services.report_return(report=report, user=township_clerk, comment="再改")


def test_an_amendment_report_references_the_original_and_is_reviewed_the_same_way(
    village, village_clerk, township_clerk, unit
):
    record = PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4))
    original = services.report_for(user=village_clerk, period=PERIOD, region=village)
    with pytest.raises(IllegalTransition):
        services.report_amend(report=original, user=village_clerk)
    services.report_submit(report=original, user=village_clerk)
    services.report_approve(report=original, user=township_clerk)
    original.refresh_from_db()
    services.record_amend(record=record, user=village_clerk, reason="数量少登了一半", quantity=Decimal("20"))
    amendment = services.report_amend(report=original, user=village_clerk)
    services.report_submit(report=amendment, user=village_clerk)
    with pytest.raises(NotAllowed):
        services.report_approve(report=amendment, user=village_clerk)
    services.report_approve(report=amendment, user=township_clerk)
    amendment.refresh_from_db()
    original.refresh_from_db()
    assert amendment.amends == original and amendment.status == ReportStatus.APPROVED
    assert original.figures["totals"]["amount"] == "800.00"
    assert amendment.figures["totals"]["amount"] == "1600.00"


def test_a_submitted_report_is_mailed_to_the_receiving_office_with_the_xlsx_form(
    village, village_clerk, unit, django_capture_on_commit_callbacks, run_tasks
):
    ReportingOffice.objects.create(region=village.parent, name="乡扶贫站", email="fupin@township.gov.cn")
    PurchaseRecordFactory(unit=unit, village=village, purchased_on=date(2020, 3, 4), category="meat")
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=village_clerk)
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fupin@township.gov.cn"]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    sheet = load_workbook(BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "合群村" in values and Decimal("800.00") in values
    assert "800.00" in report_csv(report)


def test_the_office_sees_who_submitted_who_is_late_and_who_has_not_started(
    village, other_village, village_clerk, township_clerk, settings
):
    settings.REPORT_DEADLINE_DAYS = 3
    township = village.parent
    quiet = region("430822101202", "沙塔坪村")
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=village_clerk)
    UserFactory(role=roles.VILLAGE, region=quiet)
    rows = {row["body"].code: row["state"] for row in selectors.submission_overview(region=township, period=PERIOD)}
    # The period ended in 2020: whoever has not submitted is overdue (逾期未报); a submission after the deadline is
    # late (迟报), which is not the same.
    assert rows[quiet.code] == "overdue"
    assert rows[village.code] == "late"
    current = period_of(date.today())
    rows = {row["body"].code: row["state"] for row in selectors.submission_overview(region=township, period=current)}
    assert rows[quiet.code] == "not_started"
