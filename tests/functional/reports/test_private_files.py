import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts import roles
from reports import services
from reports.importing import start_import
from reports.models import ImportJob, PurchaseRecord
from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, pdf_upload, png_upload, region

pytestmark = pytest.mark.django_db


def fields(unit, village, **extra):
    return {
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
        **extra,
    }


@pytest.fixture
def supplier():
    return CertifiedPartnerFactory(name="桑植县白茶专业合作社")


@pytest.fixture
def record(member, unit, village, supplier):
    return services.record_create(
        registered_by=member,
        receipt=png_upload("收据.png"),
        **fields(unit, village, seller_kind="supplier", supplier=supplier, seller_name=""),
    )


def receipt_url(record):
    return reverse("reports-dashboard:record-receipt", args=[record.pk])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_pdf_receipt_is_accepted_and_kept_privately_under_a_random_name(member, unit, village):
    record = services.record_create(registered_by=member, receipt=pdf_upload("发票.pdf"), **fields(unit, village))
    assert re.fullmatch(r"receipts/[0-9a-f]{32}\.pdf", record.receipt.name)
    assert record.receipt_name == "发票.pdf"
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / record.receipt.name).exists()


def test_a_receipt_named_html_that_starts_like_a_pdf_is_refused_and_nothing_is_saved(member, unit, village):
    fake = SimpleUploadedFile("收据.html", b"%PDF-1.4\n<script>alert(1)</script>")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_create(registered_by=member, receipt=fake, **fields(unit, village))
    assert error.value.message_dict["receipt"] == ["该文件不是可读取的 JPEG、PNG、PDF 文件，未予接收。"]
    assert not PurchaseRecord.objects.exists()


@pytest.mark.parametrize(
    "outsider",
    [
        lambda supplier: None,
        lambda supplier: UserFactory(),
        lambda supplier: UnitFactory().members.add(user := UserFactory(role=roles.UNIT)) or user,
        lambda supplier: supplier.users.add(user := UserFactory(role=roles.SUPPLIER)) or user,
        lambda supplier: UserFactory(role=roles.VILLAGE, region=region("430822102201", "双溪村")),
        lambda supplier: UserFactory(role=roles.COUNTY, region=region("430821000000", "慈利县")),
    ],
    ids=[
        "anonymous",
        "buyer",
        "another unit's member",
        "the selling supplier's staff",
        "another village's clerk",
        "another county's office",
    ],
)
def test_people_outside_the_record_and_its_offices_get_a_404_for_its_receipt(client, record, supplier, outsider):
    user = outsider(supplier)
    if user is not None:
        client.force_login(user)
    response = client.get(receipt_url(record))
    assert response.status_code == 404
    assert b"PNG" not in body(response)


@pytest.mark.parametrize("viewer", ["member", "village_clerk", "township_clerk", "county_reviewer", "city_reviewer"])
def test_the_unit_the_village_and_the_offices_over_it_get_the_receipt(client, record, viewer, request):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(receipt_url(record))
    assert response.status_code == 200
    assert body(response) == (Path(settings.PRIVATE_MEDIA_ROOT) / record.receipt.name).read_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_office_record_list_links_to_the_receipt_but_the_sellers_list_does_not(client, record, supplier):
    client.force_login(UserFactory(role=roles.COUNTY, region=region("430822000000", "桑植县")))
    assert f'href="{receipt_url(record)}"' in client.get(reverse("reports-dashboard:record-list")).content.decode()
    staff = UserFactory(role=roles.SUPPLIER)
    supplier.users.add(staff)
    client.force_login(staff)
    page = client.get(reverse("reports-dashboard:record-list")).content.decode()
    assert f'data-record="{record.pk}"' in page
    assert receipt_url(record) not in page


def test_behind_nginx_a_receipt_is_an_internal_redirect_with_no_body(client, record, member, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_REDIRECT = "/protected/"
    client.force_login(member)
    response = client.get(receipt_url(record))
    assert response["X-Accel-Redirect"] == f"/protected/{record.receipt.name}"
    assert response.content == b""


@pytest.fixture
def job(member, unit):
    upload = SimpleUploadedFile("三月登记.csv", "采购日期,购买单位\n2020-03-05,\n".encode())
    return start_import(user=member, unit=unit, upload=upload)


def test_an_import_file_is_kept_privately_and_downloaded_only_by_who_uploaded_it(client, job, member, unit):
    assert re.fullmatch(r"imports/[0-9a-f]{32}\.csv", job.file.name)
    url = reverse("reports-dashboard:import-file", args=[job.pk])
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert body(response).startswith("采购日期".encode())
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    colleague = UserFactory(role=roles.UNIT)
    unit.members.add(colleague)
    for outsider in (colleague, UserFactory(role=roles.COUNTY, region=region("430822000000", "桑植县"))):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_spreadsheet_that_is_not_one_is_refused_and_no_job_is_kept(member, unit):
    fake = SimpleUploadedFile("登记.xlsx", b"PK\x03\x04 not really a workbook")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        start_import(user=member, unit=unit, upload=fake)
    assert error.value.messages == ["该文件不是可读取的 Excel (.xlsx)、CSV 文件，未予接收。"]
    assert not ImportJob.objects.exists()
