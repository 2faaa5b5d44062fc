"""The figures of a half-month report read as a finance clerk expects: Chinese labels, headed columns, quantities
per unit of measure, money with separators, the money sellers confirmed, left open or disputed, and why."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from reports import services
from reports.periods import period_of
from tests.factories import PurchaseRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def report(village, village_clerk):
    return services.report_for(user=village_clerk, period=PERIOD, region=village)


def page(client, user, report):
    client.force_login(user)
    response = client.get(reverse("reports-dashboard:report-detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_choices_read_in_chinese_and_every_table_has_column_headers(client, village, village_clerk, report):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), category="tea", seller_kind="household")
    body = page(client, village_clerk, report)
    assert "茶叶" in body and "贫困户" in body
    assert ">tea<" not in body and ">household<" not in body
    start = body.index('id="report-figures"')
    figures = body[start : body.index("</table>", body.index('id="disputed-records"'))]
    assert figures.count("<table") == figures.count("<thead>") == 9
    for header in ("计量单位", "数量", "登记笔数", "金额（元）", "销售方"):
        assert f">{header}</th>" in body


def test_quantities_are_shown_per_unit_of_measure_and_never_added_across_units(client, village, village_clerk, report):
    PurchaseRecordFactory(
        village=village, purchased_on=date(2020, 3, 4), quantity=Decimal("18.063"), unit_of_measure="斤"
    )
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), quantity=Decimal("2"), unit_of_measure="箱")
    body = page(client, village_clerk, report)
    assert "18.063" in body and "18.0630" not in body
    assert "20.063" not in body
    by_category = body[body.index('id="by-category"') : body.index('id="by-supplier"')]
    assert "18.063" not in by_category and "数量" not in by_category


def test_money_has_thousands_separators_and_two_decimals(client, village, village_clerk, report):
    PurchaseRecordFactory(
        village=village, purchased_on=date(2020, 3, 4), quantity=Decimal("5130"), unit_price=Decimal("240.50")
    )
    body = page(client, village_clerk, report)
    assert "1,233,765.00" in body and "1233765" not in body


def test_confirmed_unconfirmed_and_disputed_money_is_apart_with_the_reasons_of_disputes(
    client, village, village_clerk, report
):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), confirmation="confirmed")
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), unit_price=Decimal("12.50"))
    PurchaseRecordFactory(
        village=village,
        purchased_on=date(2020, 3, 4),
        unit_price=Decimal("3.00"),
        seller_name="向家合作社",
        product_name="莓茶",
        confirmation="disputed",
        dispute_reason="<b>只卖了五斤</b>",
    )
    body = page(client, village_clerk, report)
    confirmation = body[body.index('id="by-confirmation"') : body.index('id="by-unit-of-measure"')]
    assert "800.00" in confirmation and "125.00" in confirmation and "30.00" in confirmation
    assert "955.00" in confirmation
    disputes = body[body.index('id="disputed-records"') :]
    assert "向家合作社" in disputes and "莓茶" in disputes and "30.00" in disputes
    assert "&lt;b&gt;只卖了五斤&lt;/b&gt;" in disputes and "<b>只卖了五斤" not in disputes


def test_the_report_page_costs_the_same_queries_for_few_and_many_records(
    client, village, village_clerk, report, django_assert_max_num_queries
):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), confirmation="disputed", dispute_reason="少")
    client.force_login(village_clerk)
    url = reverse("reports-dashboard:report-detail", args=[report.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(40):
        PurchaseRecordFactory(
            village=village,
            purchased_on=date(2020, 3, 4 + n % 10),
            category=["tea", "meat", "fruit"][n % 3],
            unit_of_measure=["斤", "只", "箱"][n % 3],
            confirmation="disputed",
            dispute_reason=f"理由{n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert "理由39" in body


def test_a_clerk_of_another_village_does_not_see_the_figures(client, village, other_village, report):
    PurchaseRecordFactory(village=village, purchased_on=date(2020, 3, 4), dispute_reason="机密")
    outsider = UserFactory(role=roles.VILLAGE, region=other_village)
    client.force_login(outsider)
    response = client.get(reverse("reports-dashboard:report-detail", args=[report.pk]))
    assert response.status_code in (403, 404)
