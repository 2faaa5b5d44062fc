from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import roles
from reports import services
from reports.errors import NotAllowed, RecordLocked
from reports.models import Confirmation, PurchaseRecord
from tests.factories import CertifiedPartnerFactory, PurchaseRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields(unit, village, **extra):
    values = {
        "unit": unit,
        "village": village,
        "seller_kind": "household",
        "seller_name": "向大爷",
        "product_name": "腊肉",
        "category": "meat",
        "quantity": Decimal("12.5"),
        "unit_of_measure": "斤",
        "unit_price": Decimal("45.80"),
        "purchased_on": "2020-03-10",
        "channel": "village",
    }
    values.update(extra)
    return values


def png():
    out = BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return SimpleUploadedFile("receipt.png", out.getvalue(), content_type="image/png")


def test_a_unit_member_records_a_purchase_and_the_amount_is_quantity_times_price(member, unit, village):
    record = services.record_create(registered_by=member, receipt=png(), **fields(unit, village))
    assert record.amount == Decimal("572.50")
    assert record.receipt.name.endswith(".png")
    assert record.confirmation == Confirmation.UNCONFIRMED


def test_a_receipt_that_is_not_an_image_is_refused_and_nothing_is_saved(member, unit, village):
    fake = SimpleUploadedFile("receipt.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.record_create(registered_by=member, receipt=fake, **fields(unit, village))
    assert "receipt" in error.value.message_dict
    assert not PurchaseRecord.objects.exists()


def test_a_supplier_purchase_must_name_the_supplier(member, unit, village):
    with pytest.raises(ValidationError) as error:
        services.record_create(registered_by=member, **fields(unit, village, seller_kind="supplier", seller_name=""))
    assert "supplier" in error.value.message_dict


def test_a_member_cannot_record_purchases_for_another_unit(member, village):
    other = PurchaseRecordFactory().unit
    with pytest.raises(NotAllowed):
        services.record_create(registered_by=member, **fields(other, village))


def test_a_village_clerk_registers_purchases_in_their_village_only(village_clerk, unit, village, other_village):
    record = services.record_create(registered_by=village_clerk, source="village", **fields(unit, village))
    assert record.registered_by == village_clerk
    with pytest.raises(NotAllowed):
        services.record_create(registered_by=village_clerk, **fields(unit, other_village))


def test_the_village_clerk_confirms_a_household_sale_and_a_stranger_cannot(village_clerk, village):
    record = PurchaseRecordFactory(village=village)
    with pytest.raises(NotAllowed):
        services.record_confirm(record=record, user=UserFactory(role=roles.VILLAGE))
    services.record_confirm(record=record, user=village_clerk)
    record.refresh_from_db()
    assert record.confirmation == Confirmation.CONFIRMED and record.confirmed_by == village_clerk


def test_supplier_staff_dispute_a_record_naming_their_supplier_with_a_reason(village):
    partner = CertifiedPartnerFactory()
    staff = UserFactory(role=roles.SUPPLIER)
    partner.users.add(staff)
    record = PurchaseRecordFactory(seller_kind="supplier", supplier=partner, seller_name="")
    with pytest.raises(ValidationError):
        services.record_dispute(record=record, user=staff, reason=" ")
    services.record_dispute(record=record, user=staff, reason="我们没有卖过这批货")
    record.refresh_from_db()
    assert record.confirmation == Confirmation.DISPUTED
    with pytest.raises(NotAllowed):
        services.record_confirm(record=record, user=UserFactory(role=roles.SUPPLIER))


def test_a_locked_record_cannot_be_edited_or_deleted_but_can_be_amended(member, unit, village):
    record = PurchaseRecordFactory(unit=unit, village=village, locked=True, reported=True)
    with pytest.raises(RecordLocked):
        services.record_update(record=record, user=member, quantity=Decimal("1"))
    with pytest.raises(RecordLocked):
        record.delete()
    amendment = services.record_amend(record=record, user=member, reason="数量登记错误", quantity=Decimal("3"))
    record.refresh_from_db()
    assert amendment.amends == record and amendment.amount == Decimal("240.00")
    assert record.superseded and record.quantity == Decimal("10")
    with pytest.raises(RecordLocked):
        services.record_amend(record=record, user=member, reason="再次更正", quantity=Decimal("4"))
