"""Records entered as clerks enter them: rounded as Chinese accounting rounds, bounded, and never slipped into a
period whose report is already submitted or approved — by the form's service or by an import."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from reports import services
from reports.errors import RecordLocked
from reports.importing import COLUMNS, run_import, start_import
from reports.models import Channel, ImportJob, PurchaseRecord, ReportStatus, SellerKind
from reports.periods import period_of
from tests.factories import CertifiedPartnerFactory, PartnerFactory, region

pytestmark = pytest.mark.django_db


def record_fields(unit, village, **overrides):
    fields = {
        "unit": unit,
        "village": village,
        "seller_kind": SellerKind.HOUSEHOLD,
        "seller_name": "向大爷",
        "product_name": "腊肉",
        "category": "meat",
        "quantity": Decimal("12.36"),
        "unit_of_measure": "斤",
        "unit_price": Decimal("45.80"),
        "purchased_on": date(2020, 3, 5),
        "channel": Channel.VILLAGE,
    }
    fields.update(overrides)
    return fields


def test_the_amount_is_rounded_half_up_to_the_fen(member, unit, village):
    record = services.record_create(registered_by=member, **record_fields(unit, village, unit_price=Decimal("0.13")))
    assert record.amount == Decimal("1.61")  # 12.36 × 0.13 = 1.6068
    half = PurchaseRecord(quantity=Decimal("12.36"), unit_price=Decimal("0.125"))
    assert half.compute_amount() == Decimal("1.55")  # 1.545: half-to-even would give 1.54


def test_an_amount_too_large_for_the_books_is_refused_and_nothing_saved(member, unit, village):
    with pytest.raises(ValidationError) as refused:
        services.record_create(
            registered_by=member,
            **record_fields(unit, village, quantity=Decimal("99999999999.999"), unit_price=Decimal("9999999999.99")),
        )
    assert "quantity" in refused.value.message_dict
    assert not PurchaseRecord.objects.exists()


@pytest.mark.parametrize("purchased_on", [date(1900, 1, 1), timezone.localdate() + timedelta(days=1)])
def test_dates_long_past_or_in_the_future_are_refused(member, unit, village, purchased_on):
    with pytest.raises(ValidationError) as refused:
        services.record_create(registered_by=member, **record_fields(unit, village, purchased_on=purchased_on))
    assert "purchased_on" in refused.value.message_dict
    assert not PurchaseRecord.objects.exists()


def test_a_report_for_a_period_that_has_not_begun_cannot_be_started(member, unit):
    with pytest.raises(ValidationError):
        services.report_for(user=member, period=period_of(date(2099, 1, 5)), unit=unit)


def test_a_report_cannot_be_submitted_before_its_period_ends(member, unit):
    current = period_of(timezone.localdate())
    report = services.report_for(user=member, period=current, unit=unit)
    if current.end > timezone.localdate():
        with pytest.raises(ValidationError):
            services.report_submit(report=report, user=member)
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT


def submitted(member, unit, day=date(2020, 3, 5)):
    report = services.report_for(user=member, period=period_of(day), unit=unit)
    return services.report_submit(report=report, user=member)


def test_a_submitted_period_takes_no_new_record(member, unit, village):
    submitted(member, unit)
    with pytest.raises(RecordLocked) as refused:
        services.record_create(registered_by=member, **record_fields(unit, village, purchased_on=date(2020, 3, 9)))
    assert "2020" in str(refused.value.messages[0])
    assert not PurchaseRecord.objects.exists()
    # The next period is still open.
    services.record_create(registered_by=member, **record_fields(unit, village, purchased_on=date(2020, 3, 16)))


def test_an_approved_village_report_closes_its_period_to_the_units_records_there(
    member, unit, village, village_clerk, township_clerk
):
    report = services.report_for(user=village_clerk, period=period_of(date(2020, 3, 5)), region=village)
    services.report_submit(report=report, user=village_clerk)
    services.report_approve(report=report, user=township_clerk)
    with pytest.raises(RecordLocked):
        services.record_create(registered_by=member, **record_fields(unit, village, purchased_on=date(2020, 3, 9)))
    assert not PurchaseRecord.objects.exists()


def test_a_returned_report_reopens_its_period(member, unit, village, county_reviewer):
    report = submitted(member, unit)
    services.report_return(report=report, user=county_reviewer, comment="补登3月9日的采购")
    record = services.record_create(registered_by=member, **record_fields(unit, village, purchased_on=date(2020, 3, 9)))
    assert record.pk


def upload(rows, name="采购登记.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append([str(h) for _k, h in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(**changes):
    values = {
        "purchased_on": "2020-03-05",
        "unit": "",
        "helper_name": "",
        "village": "430822101201",
        "seller_kind": "贫困户",
        "seller": "向大爷",
        "product_name": "腊肉",
        "category": "肉禽蛋",
        "quantity": "12.5",
        "unit_of_measure": "斤",
        "unit_price": "45.80",
        "households_benefiting": 1,
        "channel": "到村到户",
        "payment_method": "",
    }
    values.update(changes)
    return [values[key] for key, _header in COLUMNS]


def imported(member, unit, rows):
    return run_import(job=start_import(user=member, unit=unit, upload=upload(rows)))


def test_an_import_keeps_each_rows_unit_of_measure(member, unit, village):
    job = imported(member, unit, [row(unit_of_measure="斤"), row(unit_of_measure="箱", seller="李大姐")])
    assert job.status == ImportJob.Status.DONE
    assert sorted(PurchaseRecord.objects.values_list("unit_of_measure", flat=True)) == ["box", "jin"]


@pytest.mark.parametrize("typed", ["2020/3/5", "2020-3-5", "2020年3月5日", "2020.03.05"])
def test_an_import_reads_the_date_forms_excel_users_type(member, unit, village, typed):
    job = imported(member, unit, [row(purchased_on=typed)])
    assert job.status == ImportJob.Status.DONE, job.errors
    assert PurchaseRecord.objects.get().purchased_on == date(2020, 3, 5)


def test_an_import_refuses_extra_decimals_instead_of_rounding_them(member, unit, village, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    job = imported(member, unit, [row(quantity="0.1235")])
    assert job.status == ImportJob.Status.FAILED
    assert "0.1235" in job.errors[0] and "第2行" in job.errors[0]
    assert not PurchaseRecord.objects.exists()


def test_an_import_holds_sellers_and_villages_to_the_forms_rules(member, unit, village, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    uncertified = PartnerFactory(name="未认定合作社")
    certified = CertifiedPartnerFactory(name="已认定合作社")
    stranger = region("430822102201", "双溪村")
    job = imported(
        member,
        unit,
        [
            row(seller_kind="认定供应商", seller=uncertified.name),
            row(village=stranger.code),
            row(seller="长" * 200),
        ],
    )
    assert job.status == ImportJob.Status.FAILED
    assert len(job.errors) == 3
    assert not PurchaseRecord.objects.exists()
    job = imported(member, unit, [row(seller_kind="认定供应商", seller=certified.name)])
    assert job.status == ImportJob.Status.DONE, job.errors


def test_an_import_refuses_rows_dated_in_a_submitted_period(member, unit, village):
    submitted(member, unit)
    job = imported(member, unit, [row(purchased_on="2020-03-09"), row(purchased_on="2020-03-20")])
    assert job.status == ImportJob.Status.FAILED
    assert len(job.errors) == 1 and "2" in job.errors[0]
    assert not PurchaseRecord.objects.exists()


def test_an_import_refuses_an_amount_too_large_for_the_books(member, unit, village):
    job = imported(member, unit, [row(quantity="99999999999.999", unit_price="9999999999.99")])
    assert job.status == ImportJob.Status.FAILED
    assert not PurchaseRecord.objects.exists()


def test_a_unit_order_paid_after_its_period_was_reported_counts_on_the_day_it_was_paid(member, unit, village):
    from oscar.test.factories import OrderFactory, OrderLineFactory

    from shop.order.signals import unit_order_paid
    from tests.factories import certified_product

    submitted(member, unit)
    placed = timezone.make_aware(timezone.datetime(2020, 3, 9, 10, 0))
    order = OrderFactory(unit=unit, date_placed=placed)
    product = certified_product(price="60.00", origin=village)
    stockrecord = product.stockrecords.first()
    OrderLineFactory(
        order=order,
        product=product,
        stockrecord=stockrecord,
        partner=stockrecord.partner,
        quantity=1,
        unit_price_incl_tax=Decimal("60.00"),
        line_price_incl_tax=Decimal("60.00"),
    )
    unit_order_paid.send(sender=type(order), order=order)
    record = PurchaseRecord.objects.get()
    assert record.purchased_on == timezone.localdate()


def test_approval_locks_the_records_the_submission_counted(member, unit, village, county_reviewer):
    counted = services.record_create(registered_by=member, **record_fields(unit, village))
    report = submitted(member, unit)
    services.report_approve(report=report, user=county_reviewer)
    counted.refresh_from_db()
    assert counted.locked and counted.reported
    with pytest.raises(RecordLocked):
        services.record_update(record=counted, user=member, quantity=Decimal("1"))


def test_disputed_money_is_shown_apart_in_the_report_and_its_csv(member, unit, village, settings):
    from reports.outputs import report_csv
    from tests.factories import PurchaseRecordFactory

    settings.LANGUAGE_CODE = "zh-hans"
    for confirmation, price in (("confirmed", "10.00"), ("unconfirmed", "20.00"), ("disputed", "40.00")):
        PurchaseRecordFactory(
            unit=unit,
            village=village,
            purchased_on=date(2020, 3, 5),
            quantity=1,
            unit_price=Decimal(price),
            confirmation=confirmation,
        )
    report = submitted(member, unit)
    totals = report.figures["totals"]
    assert (totals["confirmed_amount"], totals["unconfirmed_amount"], totals["disputed_amount"]) == (
        "10.00",
        "20.00",
        "40.00",
    )
    text = report_csv(report)
    assert "销售方有异议,1,40.00" in text and "销售方未确认,1,20.00" in text


def test_a_paid_unit_order_becomes_records_with_the_products_category_and_unit(unit, village, settings):
    from oscar.test.factories import OrderFactory, OrderLineFactory

    from shop.order.signals import unit_order_paid
    from tests.factories import CategoryFactory, certified_product

    settings.LANGUAGE_CODE = "en"
    tea = CategoryFactory("茶叶饮品")
    tea.slug = "tea"
    tea.save()
    product = certified_product(price="30.00", origin=village, sales_unit="盒")
    product.categories.add(tea)
    stockrecord = product.stockrecords.first()
    order = OrderFactory(unit=unit)
    OrderLineFactory(
        order=order,
        product=product,
        stockrecord=stockrecord,
        partner=stockrecord.partner,
        quantity=2,
        unit_price_incl_tax=Decimal("30.00"),
        line_price_incl_tax=Decimal("60.00"),
    )
    unit_order_paid.send(sender=type(order), order=order)
    record = PurchaseRecord.objects.get()
    assert (record.category, record.unit_of_measure, record.village) == ("tea", "carton", village)
