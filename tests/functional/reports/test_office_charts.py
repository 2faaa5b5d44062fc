"""The office dashboard's charts: each with a legend in distinct colours, the figures in a table beside it, and an
.xlsx download of the same figures."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PurchaseRecordFactory, UnitFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def purchases(county_reviewer, village):
    unit = UnitFactory(name="桑植县教育局", region=county_reviewer.region)
    PurchaseRecordFactory(unit=unit, village=village, category="tea", quantity=Decimal("100"),
                          unit_price=Decimal("12345.67"), purchased_on=date(2020, 3, 3))  # fmt: skip
    PurchaseRecordFactory(unit=unit, village=village, category="meat", quantity=Decimal("10"),
                          unit_price=Decimal("80.00"), purchased_on=date(2020, 3, 20))  # fmt: skip
    PurchaseRecordFactory(unit=unit, village=village, category="fruit", quantity=Decimal("3"),
                          unit_price=Decimal("50.00"), purchased_on=date(2020, 7, 1))  # fmt: skip
    # another county's purchase is in no figure of this office
    PurchaseRecordFactory(village=region("430821101201"), category="grain", purchased_on=date(2020, 3, 3))
    return unit


def office_page(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("reports-dashboard:office") + "?year=2020")
    assert response.status_code == 200
    return response


def chart_table(html, key):
    start = html.index(f'id="chart-{key}-table"')
    return html[start : html.index("</table>", start)]


def test_each_chart_has_its_figures_in_a_table_beside_it_with_thousands_separators(client, county_reviewer, purchases):
    html = office_page(client, county_reviewer).content.decode()
    categories = chart_table(html, "categories")
    assert "茶叶" in categories and "1,234,567.00" in categories and "800.00" in categories
    assert "1,235,517.00" in categories  # the total row
    assert "粮油" not in categories
    assert "99.9%" in categories  # tea's share, one decimal, rounded half up
    periods = chart_table(html, "periods")
    assert periods.count("<tr>") == 24 + 2  # a row per half-month of the year, the heading and the total
    for key in ("periods", "counties", "categories", "units"):
        assert f'aria-describedby="chart-{key}-table"' in html
        assert reverse("reports-dashboard:office-chart", kwargs={"chart": key}) + "?year=2020" in html


def test_the_category_chart_gives_each_slice_its_own_colour_and_the_table_the_same_swatches(
    client, county_reviewer, purchases
):
    response = office_page(client, county_reviewer)
    data = response.context["chart"]["categories"]
    assert data["kind"] == "doughnut" and data["series"] == "金额（元）"
    assert len(set(data["colours"])) == len(data["labels"]) == 3
    swatches = re.findall(
        r"chart-swatch\" style=\"background-color: (#[0-9A-F]{6})", chart_table(response.content.decode(), "categories")
    )
    assert swatches == data["colours"]


def test_the_download_holds_the_figures_the_chart_shows(client, county_reviewer, purchases):
    client.force_login(county_reviewer)
    response = client.get(reverse("reports-dashboard:office-chart", kwargs={"chart": "categories"}) + "?year=2020")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2020-categories.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert "2020" in rows[0][0] and "按分类" in rows[0][0]
    assert rows[1] == ("分类", "金额（元）", "占比（%）")
    assert rows[2:] == [
        ("茶叶", 1234567, 99.9),
        ("肉禽蛋", 800, 0.1),
        ("水果", 150, 0),
        ("合计", 1235517, 100),
    ]
    assert sheet["B3"].number_format == "#,##0.00"


def test_only_offices_download_chart_figures_and_only_the_four_charts_exist(client, member, county_reviewer):
    url = reverse("reports-dashboard:office-chart", kwargs={"chart": "units"})
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(county_reviewer)
    assert client.get(url).status_code == 200
    assert client.get("/shop/dashboard/reports/office/chart-secrets.xlsx").status_code == 404
    assert client.get("/shop/dashboard/reports/office/chart-units.csv").status_code == 404
