"""What someone who edits addresses and forms by hand gets: a clear answer, never a server error or someone else's
data."""

import pytest
from django.utils import timezone

from accounts import roles
from reports.models import HalfMonthReport
from suppliers.models import CertificationStatus
from tests.factories import (
    CertifiedPartnerFactory,
    PartnerFactory,
    SupplierCertificationFactory,
    UnitFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db

START = "/shop/dashboard/reports/half-month/start/"


@pytest.fixture
def unit_member(client):
    unit = UnitFactory(region=region("430822000000", "桑植县"))
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    client.force_login(member)
    return unit


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"period": "2026-13-1", "body": "unit:1"},
        {"period": "abc"},
        {"period": "2026-1-1", "body": "unit:abc"},
        {"period": "2026-1-1", "body": "unit"},
        {"period": "2026-1-1", "body": "unit:1:2"},
    ],
    ids=["nothing", "month 13", "no body", "non-numeric id", "no id", "two ids"],
)
def test_a_tampered_report_start_is_a_400_with_a_chinese_reason_and_starts_nothing(client, unit_member, data):
    response = client.post(START, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "请从列表中选择报送主体和半月期间。" in response.content.decode()
    assert not HalfMonthReport.objects.exists()


@pytest.mark.parametrize(
    "status",
    [None, CertificationStatus.PENDING, CertificationStatus.REJECTED],
    ids=["no application", "applying", "rejected"],
)
def test_a_supplier_the_county_has_not_passed_has_no_public_page(client, status):
    partner = PartnerFactory(name="未认定的合作社", contact_phone="13900000000")
    if status is not None:
        SupplierCertificationFactory(partner=partner, status=status)
    response = client.get(f"/shop/suppliers/{partner.pk}/")
    assert response.status_code == 404
    assert "13900000000" not in response.content.decode()


def test_a_certified_supplier_keeps_its_public_page(client):
    partner = CertifiedPartnerFactory(name="合群村白茶合作社")
    assert "合群村白茶合作社" in client.get(f"/shop/suppliers/{partner.pk}/").content.decode()


@pytest.mark.parametrize("year", ["99999", "0", "-5", "abc"])
def test_an_office_dashboard_for_a_year_out_of_the_calendar_shows_this_year(client, year):
    client.force_login(UserFactory(role=roles.COUNTY, region=region("430822000000", "桑植县")))
    response = client.get("/shop/dashboard/reports/office/", {"year": year})
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response.content.decode()
