"""#17 leftovers: a county looks into a township's list of who has reported, and a report's disputes are those its
submission counted, with the amounts it counted."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from reports import services
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UserFactory, region

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))
STATUS = reverse("reports-dashboard:report-status")


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_county_opens_a_townships_list_of_its_villages_from_its_own_list(
    client, county_reviewer, village_clerk, village
):
    region("430822101202", "向家村")
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4))
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=village_clerk)
    township = village.parent
    signed_in(client, county_reviewer)

    own = client.get(STATUS, {"period": PERIOD.key}).content.decode()
    township_link = f"?period={PERIOD.key}&amp;office={township.code}"
    assert township_link in own

    page = client.get(STATUS, {"period": PERIOD.key, "office": township.code})
    assert page.status_code == 200
    rows = {str(row.body): row.state for row in page.context["rows"]}
    assert rows == {"合群村": "late", "向家村": "overdue"}  # submitted years after the deadline; never reported
    html = page.content.decode()
    assert reverse("reports-dashboard:report-detail", args=[report.pk]) in html
    assert f"&amp;office={township.code}" in html.split('id="status-counts"')[1].split("</ul>")[0]
    assert "返回" in html
    assert reverse("reports-dashboard:report-remind") not in html  # the township reminds its villages, not the county


def test_nobody_looks_into_an_office_outside_or_above_their_own(client, county_reviewer, township_clerk, village):
    other_township = region("430821101000", "别县某乡")
    signed_in(client, county_reviewer)
    assert client.get(STATUS, {"office": other_township.code}).status_code == 404
    assert client.get(STATUS, {"office": village.code}).status_code == 404  # a village has no bodies under it
    signed_in(client, township_clerk)
    assert client.get(STATUS, {"office": county_reviewer.region.code}).status_code == 404
    assert client.get(STATUS, {"office": village.parent.code}).status_code == 200  # its own list
    member = UserFactory(role=roles.UNIT)
    assert signed_in(client, member).get(STATUS, {"office": village.parent.code}).status_code == 403


def test_the_disputes_listed_are_those_the_submission_counted_with_its_amounts(
    client, village_clerk, township_clerk, village
):
    early = PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), seller_name="向大爷",
                                  quantity=Decimal("10"), unit_price=Decimal("80.00"))  # fmt: skip
    later = PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 6), seller_name="田大妈",
                                  quantity=Decimal("3"), unit_price=Decimal("55.00"))  # fmt: skip
    services.record_dispute(record=early, user=village_clerk, reason="只卖了 8 只")
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    services.report_submit(report=report, user=village_clerk)
    # After the submission: the first dispute is settled and the second record disputed.
    services.record_confirm(record=early, user=village_clerk)
    services.record_dispute(record=later, user=village_clerk, reason="价格不对")

    page = signed_in(client, township_clerk).get(reverse("reports-dashboard:report-detail", args=[report.pk]))
    html = page.content.decode()
    disputes = html.split('id="disputed-records"')[1].split("</table>")[0]
    assert "向大爷" in disputes and "800.00" in disputes and "只卖了 8 只" in disputes
    assert "田大妈" not in disputes and "价格不对" not in disputes
    assert page.context["figures"]["totals"]["disputed_amount"] == "800.00"

    xlsx = client.get(reverse("reports-dashboard:report-download", args=[report.pk, "xlsx"]))
    cells = [cell.value for row in load_workbook(BytesIO(xlsx.content)).active.iter_rows() for cell in row]
    assert "只卖了 8 只" in cells and "价格不对" not in cells
