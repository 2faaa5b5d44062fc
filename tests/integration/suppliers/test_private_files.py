import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from reports.models import PurchaseRecord
from suppliers.evidence import RECEIPT_TYPES
from suppliers.private_files import move_public_files, private_storage
from tests.factories import PurchaseRecordFactory, png_upload

pytestmark = pytest.mark.django_db


def test_a_receipt_kept_on_the_public_media_root_is_moved_to_private_storage_under_a_random_name():
    public_name = default_storage.save("reports/receipts/2020/03/张三的收据.jpg", ContentFile(png_upload().read()))
    record = PurchaseRecordFactory(unit_price=Decimal("80.00"))
    PurchaseRecord.objects.filter(pk=record.pk).update(receipt=public_name)

    move_public_files(
        PurchaseRecord.objects.all(),
        field="receipt",
        name_field="receipt_name",
        folder="receipts",
        allowed=RECEIPT_TYPES,
    )

    record.refresh_from_db()
    # The content is a PNG whatever the old name said; the stored name follows the content.
    assert re.fullmatch(r"receipts/[0-9a-f]{32}\.png", record.receipt.name)
    assert record.receipt_name == "张三的收据.jpg"
    assert private_storage().exists(record.receipt.name)
    assert not default_storage.exists(public_name)


def test_a_public_file_of_no_accepted_type_is_moved_without_an_extension():
    public_name = default_storage.save("reports/receipts/page.html", ContentFile(b"<script>alert(1)</script>"))
    record = PurchaseRecordFactory()
    PurchaseRecord.objects.filter(pk=record.pk).update(receipt=public_name)

    move_public_files(
        PurchaseRecord.objects.all(),
        field="receipt",
        name_field="receipt_name",
        folder="receipts",
        allowed=RECEIPT_TYPES,
    )

    record.refresh_from_db()
    assert re.fullmatch(r"receipts/[0-9a-f]{32}", record.receipt.name)
    assert not default_storage.exists(public_name)
