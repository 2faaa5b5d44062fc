"""A township clerk opens the back office on a phone and finds the village report that was sent back."""

import pytest
from django.test import Client

from accounts import roles
from reports import services as report_services
from tests.factories import PurchaseRecordFactory, UserFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_township_clerk_sees_a_returned_village_report_on_a_phone(live_server, page):
    township = region("430822101000", "瑞塔铺镇")
    village = region("430822101201", "合群村")
    region("430822101202", "双溪村")
    village_clerk = UserFactory(role=roles.VILLAGE, region=village)
    township_clerk = UserFactory(role=roles.TOWNSHIP, region=township)
    period = report_services.default_period()
    PurchaseRecordFactory(village=village, purchased_on=period.start)
    report = report_services.report_for(user=village_clerk, period=period, region=village)
    report_services.report_submit(report=report, user=village_clerk)
    report_services.report_return(report=report, user=township_clerk, comment="请补充收据照片")

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, township_clerk)
    page.goto(live_server.url + "/shop/dashboard/")
    assert page.locator("h1").inner_text() == "待办"
    assert "消费扶贫商城" in page.locator("#dashboard-brand").inner_text()
    row = page.locator("#todo-villages li", has_text="合群村")
    assert "已退回" in row.inner_text()
    assert page.locator("#todo-villages li", has_text="双溪村").locator(".report-none").count() == 1
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/shop/dashboard/reports/half-month/{report.pk}/")
    assert "请补充收据照片" in page.content()
