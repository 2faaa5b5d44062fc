from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from settlement.models import LedgerEntry, Statement, StatementStatus
from settlement.services import statements_for_period
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.settlement.support import operator, transfer_order

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tea_farm():
    return CertifiedPartnerFactory(name="桑植白茶合作社")


@pytest.fixture
def tea_staff(tea_farm):
    staff = UserFactory(role="supplier")
    tea_farm.users.add(staff)
    return staff


@pytest.fixture
def statement(tea_farm):
    order = transfer_order(UserFactory(), (certified_product(partner=tea_farm, price="60.00", title="桑植白茶"), 2))
    LedgerEntry.objects.create(
        partner=tea_farm,
        kind="goods",
        amount=Decimal("120.00"),
        order=order,
        line=order.lines.get(),
        source="test:march",
        occurred_at=datetime(2026, 3, 3, 10, tzinfo=SHANGHAI),
    )
    (drawn,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    return drawn


@pytest.fixture
def other_statement():
    other = CertifiedPartnerFactory(name="湘西腊肉厂")
    order = transfer_order(UserFactory(), (certified_product(partner=other, price="45.00"), 1))
    LedgerEntry.objects.create(
        partner=other,
        kind="goods",
        amount=Decimal("45.00"),
        order=order,
        source="test:other",
        occurred_at=datetime(2026, 4, 3, 10, tzinfo=SHANGHAI),
    )
    (drawn,) = statements_for_period(start=date(2026, 4, 1), end=date(2026, 4, 15))
    return drawn


def test_the_supplier_sees_its_statement_with_its_lines_in_chinese(client, tea_staff, statement, other_statement):
    client.force_login(tea_staff)
    page = client.get(reverse("settlement-dashboard:statement-list")).content.decode()
    assert "结算对账单" in page and "2026-03-01 – 2026-03-15" in page and "¥120.00" in page
    assert "2026-04-01" not in page
    detail = client.get(reverse("settlement-dashboard:statement-detail", args=[statement.pk])).content.decode()
    assert "桑植白茶" in detail and "期初余额" in detail and "应付金额" in detail
    assert "标记为已付款" not in detail


def test_the_supplier_downloads_its_statement_as_a_spreadsheet(client, tea_staff, statement):
    client.force_login(tea_staff)
    response = client.get(reverse("settlement-dashboard:statement-download", args=[statement.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "结算对账单" in values and "桑植白茶合作社" in values and "应付金额" in values
    assert 120 in values and "货款" in values


def test_a_supplier_cannot_see_or_download_another_suppliers_statement(client, tea_staff, other_statement):
    client.force_login(tea_staff)
    assert client.get(reverse("settlement-dashboard:statement-detail", args=[other_statement.pk])).status_code == 404
    assert client.get(reverse("settlement-dashboard:statement-download", args=[other_statement.pk])).status_code == 404


@pytest.mark.parametrize("role", ["buyer", "unit", "county"])
def test_other_roles_are_refused_the_statements(client, role, statement):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("settlement-dashboard:statement-list")).status_code == 403
    assert client.get(reverse("settlement-dashboard:statement-detail", args=[statement.pk])).status_code == 403


def test_the_operator_marks_a_statement_paid_from_its_page(client, statement, django_assert_max_num_queries):
    desk = operator()
    client.force_login(desk)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("settlement-dashboard:statement-list")).content.decode()
    assert "桑植白茶合作社" in page
    response = client.post(
        reverse("settlement-dashboard:statement-pay", args=[statement.pk]),
        {"bank_reference": "ABC2026031800001", "paid_on": "2026-03-18"},
        follow=True,
    )
    assert "对账单已标记为已付款" in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID and statement.bank_reference == "ABC2026031800001"
    again = client.post(
        reverse("settlement-dashboard:statement-pay", args=[statement.pk]),
        {"bank_reference": "CHANGED", "paid_on": "2026-03-19"},
        follow=True,
    )
    assert "已付款的对账单不能再修改" in again.content.decode()
    statement.refresh_from_db()
    assert statement.bank_reference == "ABC2026031800001"


def test_a_supplier_cannot_mark_its_own_statement_paid(client, tea_staff, statement):
    client.force_login(tea_staff)
    response = client.post(
        reverse("settlement-dashboard:statement-pay", args=[statement.pk]),
        {"bank_reference": "SELF", "paid_on": "2026-03-18"},
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY and not statement.bank_reference


def test_the_detail_page_reads_a_fixed_number_of_queries(client, tea_staff, statement, django_assert_max_num_queries):
    client.force_login(tea_staff)
    with django_assert_max_num_queries(25):
        client.get(reverse("settlement-dashboard:statement-detail", args=[statement.pk]))
    assert Statement.objects.count() == 1
