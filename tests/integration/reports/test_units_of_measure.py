"""Units of measure are codes from one list: the form takes them by name or code, orders store the product's unit as
its code, and older free-text units became codes (or "other", the text kept and shown)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Value
from oscar.test.factories import OrderFactory, OrderLineFactory

from organisations.models import Unit
from regions.models import Region
from reports.dashboard.forms import RecordForm
from reports.models import PurchaseRecord, UnitOfMeasure, unit_of_measure_code
from shop.order.signals import unit_order_paid
from tests.factories import PurchaseRecordFactory, UnitFactory, certified_product, region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "code"), [("斤", "jin"), ("千克", "kg"), ("KG", "kg"), ("盒", "carton"), ("bottle", "bottle")]
)
def test_a_unit_is_known_by_its_code_its_chinese_name_or_its_label(written, code):
    assert unit_of_measure_code(written) == code


def test_the_form_takes_a_unit_by_name_and_refuses_other_for_a_new_record(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    field = RecordForm(units=Unit.objects.none(), villages=Region.objects.none()).fields["unit_of_measure"]
    assert field.clean("箱") == "box"
    for refused in ("other", "其他", "担"):
        with pytest.raises(Exception, match="不是登记可用的计量单位"):
            field.clean(refused)


def paid_order_of(product, unit):
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
    return PurchaseRecord.objects.get(order_line__order=order)


def test_an_order_stores_the_products_unit_as_a_code_whatever_language_paid_it(settings):
    village = region("430822101201", "合群村")
    settings.LANGUAGE_CODE = "en"
    record = paid_order_of(certified_product(origin=village, sales_unit="箱"), UnitFactory())
    assert (record.unit_of_measure, record.unit_of_measure_text) == ("box", "")


def test_an_order_keeps_an_unknown_unit_as_other_with_its_text_shown(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    village = region("430822101201", "合群村")
    record = paid_order_of(certified_product(origin=village, sales_unit="篓"), UnitFactory())
    assert (record.unit_of_measure, record.unit_of_measure_text, record.unit_of_measure_label) == ("other", "篓", "篓")


def test_an_order_without_origin_counts_at_the_suppliers_village_not_the_units(settings):
    supplier_village = region("430822102201", "双溪村")
    unit = UnitFactory()
    unit.paired_villages.add(region("430822101201", "合群村"))
    product = certified_product(origin=None, sales_unit="")
    partner = product.stockrecords.first().partner
    partner.region = supplier_village
    partner.save()
    record = paid_order_of(product, unit)
    assert record.village == supplier_village
    assert record.unit_of_measure == UnitOfMeasure.ITEM


def test_older_free_text_units_become_codes_and_unknown_ones_are_kept_as_written():
    migration = importlib.import_module("reports.migrations.0008_units_of_measure_and_import_content")
    records = {written: PurchaseRecordFactory() for written in ("斤", "箱", "box", "篓", "jin")}
    for written, record in records.items():
        # Stored as a plain value, as the free-text column held it.
        PurchaseRecord.objects.filter(pk=record.pk).update(unit_of_measure=Value(written))
    migration.units_to_codes(apps, None)
    stored = {
        written: PurchaseRecord.objects.values_list("unit_of_measure", "unit_of_measure_text").get(pk=record.pk)
        for written, record in records.items()
    }
    assert stored == {
        "斤": ("jin", ""),
        "箱": ("box", ""),
        "box": ("box", ""),
        "篓": ("other", "篓"),
        "jin": ("jin", ""),
    }
    migration.codes_to_units(apps, None)
    assert set(PurchaseRecord.objects.values_list("unit_of_measure", flat=True)) == {"斤", "箱", "篓"}
