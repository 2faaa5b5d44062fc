import re

import pytest
from django.test import Client

from accounts import roles
from reports.models import Confirmation, HalfMonthReport, PurchaseRecord
from reports.services import default_period
from tests.factories import UnitFactory, UserFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_purchase_goes_from_the_unit_to_the_county_dashboard(live_server, page):
    county = region("430822000000", "桑植县")
    township = region("430822101000", "瑞塔铺镇")
    village = region("430822101201", "合群村")
    unit = UnitFactory(name="桑植县第一中学", region=county)
    unit.paired_villages.add(village)
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    clerk = UserFactory(role=roles.VILLAGE, region=village)
    township_clerk = UserFactory(role=roles.TOWNSHIP, region=township)
    reviewer = UserFactory(role=roles.COUNTY, region=county)
    period = default_period()

    # The unit logs a purchase of 413 chickens.
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/shop/dashboard/reports/records/new/")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_village", str(village.pk))
    page.select_option("#id_seller_kind", "household")
    page.fill("#id_seller_name", "向大爷")
    page.fill("#id_product_name", "土鸡")
    page.select_option("#id_category", "meat")
    page.fill("#id_quantity", "413")
    page.select_option("#id_unit_of_measure", "animal")
    page.fill("#id_unit_price", "75.50")
    page.fill("#id_households_benefiting", "6")
    page.fill("#id_purchased_on", period.start.isoformat())
    page.select_option("#id_channel", "village")
    page.get_by_role("button", name="保存采购登记").click()
    page.wait_for_url(re.compile(r"/records/$"))
    assert "31181.50" in page.content()

    # The village clerk, on the seller's side for a household, confirms it.
    sign_in(page, live_server, clerk)
    page.goto(live_server.url + "/shop/dashboard/reports/records/")
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()
    assert PurchaseRecord.objects.get().confirmation == Confirmation.CONFIRMED

    # The township submits its half-month report.
    sign_in(page, live_server, township_clerk)
    page.goto(live_server.url + f"/shop/dashboard/reports/half-month/?period={period.key}")
    page.get_by_role("button", name=re.compile("瑞塔铺镇")).click()
    # 合群村 has not reported for itself: the township says why it submits anyway.
    page.fill("#id_note", "合群村本期未单独报送，采购已核实。")
    page.locator("#submit-report").click()
    assert "交上级审核" in page.locator("#confirm-submit").inner_text()
    page.locator("#submit-report-confirm").click()
    page.wait_for_load_state()
    report = HalfMonthReport.objects.get()
    assert report.status == "submitted"
    assert report.get_status_display() in page.locator("#report-status").inner_text()

    # The county approves it and sees the figures on its dashboard.
    sign_in(page, live_server, reviewer)
    page.goto(live_server.url + f"/shop/dashboard/reports/half-month/{report.pk}/")
    assert "合群村本期未单独报送" in page.locator("#submission-note").inner_text()
    page.locator("#approve-report").click()
    page.locator("#approve-report-confirm").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.get_status_display() in page.locator("#report-status").inner_text()
    page.goto(live_server.url + f"/shop/dashboard/reports/office/?year={period.start.year}")
    assert page.locator("#total-amount").inner_text() == "31,181.50"
    page.wait_for_function("document.documentElement.dataset.chartsReady === '1'")
    assert "桑植县第一中学" in page.locator("#unit-progress").inner_text()
