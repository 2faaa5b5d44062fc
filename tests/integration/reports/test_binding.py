"""Reports own their records: submission binds what it counted, approval locks exactly that, late purchases go into
an amendment of the period, corrections are counted once, and every change is logged."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports import rollup, services
from reports.errors import PeriodClosed, RecordLocked
from reports.models import PurchaseRecord, RecordChange, ReportStatus
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory

pytestmark = pytest.mark.django_db

DAY = date(2020, 3, 5)
PERIOD = period_of(DAY)


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def purchase(village, unit=None, **fields):
    values = {"purchased_on": DAY, "quantity": Decimal("3"), "unit_price": Decimal("12.50"), "unit_of_measure": "斤"}
    values.update(fields)
    return PurchaseRecordFactory(unit=unit, helper_name="" if unit else "王干部", village=village, **values)


def recompute(records):
    """Plain Python over the records: amount, count and quantity per unit of measure."""
    quantities = defaultdict(Decimal)
    for record in records:
        quantities[record.unit_of_measure] += record.quantity
    amount = sum(
        ((r.quantity * r.unit_price).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") for r in records),
        Decimal("0.00"),
    )
    return amount, len(records), dict(quantities)


def frozen(report):
    totals = report.figures["totals"]
    quantities = {row["unit_of_measure"]: Decimal(row["quantity"]) for row in report.figures["quantities"]}
    return Decimal(totals["amount"]), totals["records"], quantities


def village_report(clerk, village):
    return services.report_for(user=clerk, period=PERIOD, region=village)


def test_submission_binds_the_counted_records_and_its_figures_are_theirs(village, other_village, village_clerk, unit):
    mine = [
        purchase(village, unit),
        purchase(village, quantity=Decimal("1.5"), unit_of_measure="箱", unit_price=Decimal("168.00")),
        purchase(village, quantity=Decimal("0.125"), unit_price=Decimal("12.36")),
    ]
    purchase(other_village)  # another village's
    purchase(village, purchased_on=date(2020, 3, 16))  # the next period
    purchase(village, superseded=True)  # replaced by an amendment
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)

    bound = list(services.bound_records(report))
    assert sorted(r.pk for r in bound) == sorted(r.pk for r in mine)
    assert frozen(report) == recompute(bound)
    assert frozen(report)[0] == Decimal("37.50") + Decimal("252.00") + Decimal("1.55")
    assert all(PurchaseRecord.objects.get(pk=r.pk).reported for r in mine)


def test_a_record_is_bound_to_each_report_that_counts_it(village, village_clerk, township_clerk, member, unit):
    record = purchase(village, unit)
    services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    unit_report = services.report_submit(report=services.report_for(user=member, period=PERIOD, unit=unit), user=member)
    township = services.report_for(user=township_clerk, period=PERIOD, region=village.parent)
    services.report_submit(report=township, user=township_clerk)
    assert set(record.reports.values_list("pk", flat=True)) > {unit_report.pk, township.pk}
    assert record.reports.count() == 3


def test_approval_locks_exactly_the_bound_records(village, other_village, village_clerk, township_clerk):
    counted = [purchase(village), purchase(village)]
    elsewhere = purchase(other_village)  # same period, another township's village: no report of ours counts it
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    services.report_approve(report=report, user=township_clerk)

    amendment = services.report_amend(report=report, user=village_clerk)
    late = services.record_create(
        registered_by=village_clerk,
        source="village",
        village=village,
        helper_name="李干部",
        seller_kind="household",
        seller_name="向大爷",
        product_name="腊肉",
        category="meat",
        quantity=Decimal("2"),
        unit_of_measure="斤",
        unit_price=Decimal("40.00"),
        purchased_on=DAY,
        channel="village",
    )
    locked = set(PurchaseRecord.objects.filter(locked=True).values_list("pk", flat=True))
    assert locked == {r.pk for r in counted}
    assert elsewhere.pk not in locked and late.pk not in locked

    # The late purchase is counted by the amendment, once; the approved report keeps its figures.
    amendment = services.report_submit(report=amendment, user=village_clerk)
    bound = list(services.bound_records(amendment))
    assert sorted(r.pk for r in bound) == sorted([*[r.pk for r in counted], late.pk])
    assert frozen(amendment) == recompute(bound)
    assert frozen(report)[1] == 2
    services.report_approve(report=amendment, user=township_clerk)
    assert PurchaseRecord.objects.get(pk=late.pk).locked


def test_a_record_dated_in_a_submitted_period_is_refused_with_the_way_forward(village, village_clerk, unit, member):
    purchase(village)
    services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    with pytest.raises(PeriodClosed) as refused:
        services.record_create(
            registered_by=member,
            unit=unit,
            village=village,
            seller_kind="household",
            seller_name="向大爷",
            product_name="茶叶",
            category="tea",
            quantity=Decimal("1"),
            unit_of_measure="斤",
            unit_price=Decimal("100.00"),
            purchased_on=DAY,
            channel="village",
        )
    message = " ".join(refused.value.messages)
    assert village.name in message and "已报送" in message and "退回" in message
    assert PurchaseRecord.objects.count() == 1


def test_an_approved_period_points_to_an_amendment(village, village_clerk, township_clerk):
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    services.report_approve(report=report, user=township_clerk)
    with pytest.raises(PeriodClosed) as refused:
        services.record_update(
            record=purchase(village, purchased_on=date(2020, 3, 20)), user=village_clerk, purchased_on=DAY
        )
    assert "更正报表" in " ".join(refused.value.messages)
    assert refused.value.reports == [report]


def test_one_open_amendment_at_a_time(village, village_clerk, township_clerk):
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    services.report_approve(report=report, user=township_clerk)
    services.report_amend(report=report, user=village_clerk)
    with pytest.raises(ValidationError):
        services.report_amend(report=report, user=village_clerk)


def test_resubmission_after_return_binds_afresh(village, village_clerk, township_clerk):
    first = purchase(village)
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    services.report_return(report=report, user=township_clerk, comment="漏登了一笔")
    first.refresh_from_db()
    assert not first.reported  # the period is open again for this body: corrected in place
    services.record_update(record=first, user=village_clerk, quantity=Decimal("4"))
    second = purchase(village, quantity=Decimal("7"))
    report = services.report_submit(report=report, user=village_clerk)
    assert report.status == ReportStatus.RESUBMITTED
    bound = list(services.bound_records(report))
    assert sorted(r.pk for r in bound) == [first.pk, second.pk]
    assert frozen(report) == recompute(bound)
    assert frozen(report)[0] == Decimal("137.50")


def test_an_amended_record_is_counted_once(village, village_clerk, township_clerk, county_reviewer):
    original = purchase(village, quantity=Decimal("10"), unit_price=Decimal("5.00"))
    other = purchase(village)
    report = services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    services.report_approve(report=report, user=township_clerk)

    with pytest.raises(ValidationError):
        services.record_amend(record=original, user=village_clerk, quantity=Decimal("8"))  # no reason
    amendment = services.record_amend(record=original, user=village_clerk, reason="称重有误", quantity=Decimal("8"))

    original.refresh_from_db()
    assert original.superseded and original.locked and original.quantity == 10
    assert frozen(report)[0] == Decimal("50.00") + other.amount  # what was approved stays as approved
    live = rollup.totals(
        services.body_records(services.report_for(user=township_clerk, period=PERIOD, region=village.parent))
    )
    assert live["amount"] == Decimal("40.00") + other.amount and live["records"] == 2

    again = services.report_amend(report=report, user=village_clerk)
    again = services.report_submit(report=again, user=village_clerk)
    bound = set(services.bound_records(again).values_list("pk", flat=True))
    assert bound == {amendment.pk, other.pk}
    assert frozen(again)[0] == Decimal("40.00") + other.amount

    log = RecordChange.objects.get(record=original)
    assert log.action == "amended" and log.reason == "称重有误" and log.changed_by == village_clerk
    assert log.before["quantity"] == "10.000" and log.after["quantity"] == "8"
    with pytest.raises(RecordLocked):
        services.record_amend(record=original, user=village_clerk, reason="再改", quantity=Decimal("7"))


def test_every_change_is_logged_with_who_and_before_and_after(village, village_clerk):
    record = purchase(village)
    services.record_update(record=record, user=village_clerk, quantity=Decimal("6"))
    services.record_confirm(record=record, user=village_clerk)
    services.record_delete(record=PurchaseRecord.objects.get(pk=record.pk), user=village_clerk)
    changes = list(RecordChange.objects.filter(record_number=record.pk))
    assert [c.action for c in changes] == ["updated", "confirmed", "deleted"]
    assert changes[0].before["quantity"] == "3.000" and changes[0].after["quantity"] == "6"
    assert changes[0].before["amount"] == "37.50" and changes[0].after["amount"] == "75.00"
    assert changes[1].after["confirmation"] == "confirmed"
    assert all(c.changed_by == village_clerk for c in changes)
    assert changes[2].record is None  # the log outlives the record


def test_a_reported_record_is_neither_edited_in_place_nor_deleted(village, village_clerk):
    record = purchase(village)
    services.report_submit(report=village_report(village_clerk, village), user=village_clerk)
    record.refresh_from_db()
    with pytest.raises(RecordLocked):
        services.record_update(record=record, user=village_clerk, quantity=Decimal("1"))
    with pytest.raises(RecordLocked):
        services.record_delete(record=record, user=village_clerk)
    assert PurchaseRecord.objects.get(pk=record.pk).quantity == 3
