from datetime import date

import pytest
from django.urls import reverse

from reports.models import HalfMonthReport
from reports.periods import period_of
from tests.factories import UnitFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_a_unit_member_who_starts_another_units_report_reads_why_in_chinese(client, member):
    other_unit = UnitFactory(region=region("430822000000", "桑植县"))
    client.force_login(member)
    response = client.post(
        reverse("reports-dashboard:report-start"),
        {"period": period_of(date(2020, 3, 5)).key, "body": f"unit:{other_unit.pk}"},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权打开此页面" in page and "您只能填报本单位或本机关的报表。" in page
    assert not HalfMonthReport.objects.exists()


@pytest.mark.urls("tests.functional.accounts.refusal_urls")
def test_a_refusal_of_what_was_sent_is_a_400_page_with_the_reason(client):
    response = client.get("/refuse/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误" in page and "这份文件已经导入过。" in page


def test_a_permission_denied_with_a_reason_shows_the_reason_on_the_same_page(client, member):
    client.force_login(member)
    response = client.get(reverse("suppliers-dashboard:record-certificate"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权打开此页面" in page and "只有区县扶贫办可以审核认定。" in page
