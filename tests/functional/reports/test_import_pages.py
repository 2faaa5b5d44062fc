"""The import pages as the uploader sees them: repeated rows listed with a button to import them anyway, the earlier
import linked when the same rows come again, and nobody else able to decide."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reports import services
from reports.importing import COLUMNS, run_import, start_import
from reports.models import ImportJob, PurchaseRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def sheet(*sellers, title=None):
    book = Workbook()
    page = book.active
    if title:
        page.append([title])
    page.append([str(header) for _key, header in COLUMNS])
    for seller in sellers:
        page.append(
            ["2020/3/5", "", "", "430822101201", "贫困户", seller, "腊肉", "肉禽蛋", "2", "斤", "40", 1, "到村到户", ""]
        )
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("登记.xlsx", out.getvalue())


def registered(member, unit, village, seller):
    return services.record_create(
        registered_by=member,
        unit=unit,
        village=village,
        seller_kind="household",
        seller_name=seller,
        product_name="腊肉",
        category="meat",
        quantity=Decimal("2"),
        unit_of_measure="斤",
        unit_price=Decimal("40"),
        purchased_on=date(2020, 3, 5),
        channel="village",
    )


def test_repeated_rows_are_listed_and_imported_only_after_import_them_anyway(
    client, member, unit, village, django_capture_on_commit_callbacks, run_tasks
):
    registered(member, unit, village, "<b>向大爷</b>")
    job = run_import(job=start_import(user=member, unit=unit, upload=sheet("<b>向大爷</b>", "李大姐")))
    client.force_login(member)
    page = client.get(reverse("reports-dashboard:import-detail", args=[job.pk])).content.decode()
    assert "等待您确认" in page and "仍然导入" in page and "取消导入" in page
    assert "第2行与" in page and "&lt;b&gt;向大爷&lt;/b&gt;" in page and "<b>向大爷" not in page
    assert PurchaseRecord.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports-dashboard:import-decide", args=[job.pk]), {"action": "confirm"})
    assert response.status_code == 302
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.imported_rows == 2
    assert PurchaseRecord.objects.filter(seller_name="<b>向大爷</b>").count() == 2


def test_another_person_cannot_confirm_nor_cancel_someone_elses_import(client, member, unit, village):
    registered(member, unit, village, "向大爷")
    job = run_import(job=start_import(user=member, unit=unit, upload=sheet("向大爷")))
    colleague = UserFactory(role="unit")
    unit.members.add(colleague)
    client.force_login(colleague)
    for action in ("confirm", "cancel"):
        response = client.post(reverse("reports-dashboard:import-decide", args=[job.pk]), {"action": action})
        assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CONFIRM and not job.duplicates_confirmed
    assert PurchaseRecord.objects.count() == 1


def test_the_same_rows_again_link_to_the_earlier_import(client, member, unit, village):
    first = run_import(job=start_import(user=member, unit=unit, upload=sheet("向大爷", "李大姐")))
    again = run_import(
        job=start_import(user=member, unit=unit, upload=sheet("李大姐", "向大爷", title="2020年3月采购登记"))
    )
    client.force_login(member)
    page = client.get(reverse("reports-dashboard:import-detail", args=[again.pk])).content.decode()
    assert "只导入一次" in page
    assert reverse("reports-dashboard:import-detail", args=[first.pk]) in page
    status = client.get(reverse("reports-dashboard:import-detail", args=[again.pk]), {"format": "json"}).json()
    assert status["status"] == "failed" and f"第{first.pk}号导入" in status["errors"][0]


def test_a_decision_on_an_import_that_waits_for_none_is_refused_with_a_message(client, member, unit, village):
    job = run_import(job=start_import(user=member, unit=unit, upload=sheet("向大爷")))
    client.force_login(member)
    response = client.post(
        reverse("reports-dashboard:import-decide", args=[job.pk]), {"action": "confirm"}, follow=True
    )
    assert "此导入不在等待确认" in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
