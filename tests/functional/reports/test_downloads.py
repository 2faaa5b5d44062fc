from datetime import date

import pytest
from django.urls import reverse

from reports import services
from reports.periods import period_of

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2020, 3, 5))
IMPORTS = "/shop/dashboard/reports/imports/"


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_import_template_downloads_in_the_formats_it_is_made_in(client, member, extension):
    client.force_login(member)
    response = client.get(f"{IMPORTS}template.{extension}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="purchase-records-template.{extension}"'


@pytest.mark.parametrize("extension", ["exe", "html", "xlsx.html", "svg", "XLSX"])
def test_the_import_template_is_not_found_under_any_other_extension(client, member, extension):
    client.force_login(member)
    assert client.get(f"{IMPORTS}template.{extension}").status_code == 404


@pytest.mark.parametrize("extension", ["html", "exe", "js"])
def test_a_report_download_is_not_found_under_an_extension_it_is_not_made_in(client, village, village_clerk, extension):
    report = services.report_for(user=village_clerk, period=PERIOD, region=village)
    client.force_login(village_clerk)
    url = reverse("reports-dashboard:report-download", args=[report.pk, "csv"])
    assert client.get(url).status_code == 200
    assert client.get(url.replace("download.csv", f"download.{extension}")).status_code == 404


@pytest.mark.parametrize("requested", ["html", "exe", "pdf"])
def test_the_public_catalogue_offers_no_download_format_it_does_not_make(client, requested):
    assert client.get("/shop/suppliers/catalogue/", {"format": requested}).status_code == 404
    assert client.get("/shop/suppliers/catalogue/", {"format": "csv"}).status_code == 200
