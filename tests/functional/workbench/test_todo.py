"""The back office's to-do page (待办): each role sees its own work, nobody else's, in a bounded number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from reports import services as report_services
from reports.models import HalfMonthReport, ReportStatus
from shop.order.services import transfer_mark_received
from suppliers.models import CertificationStatus
from tests.factories import (
    CertifiedPartnerFactory,
    ProductCertificationFactory,
    ProductFactory,
    PurchaseRecordFactory,
    UnitFactory,
    UserFactory,
    certified_product,
    region,
)
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db

TODO = "/shop/dashboard/"
# Queries one person's page may take whatever the amount of data (session, user, permissions, menu and footer included).
MAX_QUERIES = 24


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def todo_page(client):
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def section(html, role):
    """The part of the page that belongs to one role's section."""
    start = html.index(f'id="todo-{role}"')
    end = html.find('<section class="todo-section', start + 1)
    return html[start : end if end != -1 else len(html)]


def paid_order(buyer, *items, **kwargs):
    order = place(buyer, basket_for(buyer, *items), **kwargs).order
    transfer_mark_received(order=order, user=UserFactory(is_superuser=True, is_staff=True))
    return order


def test_the_to_do_page_answers_at_the_dashboard_address_and_keeps_oscars_name():
    assert reverse("dashboard:index") == TODO == reverse("workbench:todo")


def test_the_page_carries_the_platforms_name_and_logo_and_no_oscar_statistics():
    html = todo_page(signed_in(UserFactory(role=roles.OPERATOR)))
    brand = html[html.index('id="dashboard-brand"') : html.index("</a>", html.index('id="dashboard-brand"'))]
    assert "消费扶贫商城" in brand and "img/logo.svg" in brand
    assert 'id="dashboard-footer"' in html
    assert "Oscar" not in brand
    assert "<h1>待办</h1>" in html


def test_a_signed_in_person_without_back_office_access_is_refused_in_chinese():
    response = signed_in(UserFactory(role=roles.BUYER)).get(TODO)
    assert response.status_code == 403
    assert "后台" in response.content.decode()


def test_a_visitor_is_sent_to_sign_in():
    response = Client().get(TODO)
    assert response.status_code == 302 and "login" in response["Location"]


# --- supplier staff ---


@pytest.fixture
def two_suppliers():
    ours = CertifiedPartnerFactory(name="桑植白茶合作社")
    theirs = CertifiedPartnerFactory(name="茅岩莓公司")
    staff = UserFactory(role=roles.SUPPLIER)
    ours.users.add(staff)
    tea = certified_product(partner=ours, title="桑植白茶", price="100.00")
    berry = certified_product(partner=theirs, title="茅岩莓茶", price="40.00")
    return {"ours": ours, "theirs": theirs, "staff": staff, "tea": tea, "berry": berry}


def supplier_data(world, size):
    buyer = UserFactory(role=roles.BUYER)
    orders = [paid_order(buyer, (world["tea"], 1), (world["berry"], 2)) for _ in range(size)]
    for _ in range(size):
        PurchaseRecordFactory(seller_kind="supplier", supplier=world["ours"], seller_name="", product_name="白茶")
        PurchaseRecordFactory(seller_kind="supplier", supplier=world["theirs"], seller_name="", product_name="莓茶")
        for partner in (world["ours"], world["theirs"]):
            ProductCertificationFactory(
                partner=partner,
                product=ProductFactory(title=f"即将到期·{partner.name}"),
                valid_until=timezone.localdate() + timedelta(days=20),
            )
            ProductCertificationFactory(
                partner=partner, product=ProductFactory(), status=CertificationStatus.PENDING, certificate_number=None
            )
    return orders


def test_supplier_sees_its_own_parcels_records_certificates_and_sales_and_no_one_elses(two_suppliers):
    orders = supplier_data(two_suppliers, 1)
    html = section(todo_page(signed_in(two_suppliers["staff"])), "supplier")
    assert orders[0].number in html
    parcels = html[html.index('id="todo-parcels"') :]
    assert 'todo-count">1<' in parcels[:600]
    unconfirmed = html[html.index('id="todo-unconfirmed"') : html.index("</a>", html.index('id="todo-unconfirmed"'))]
    assert 'todo-count">1<' in unconfirmed
    assert "即将到期·桑植白茶合作社" in html and "即将到期·茅岩莓公司" not in html
    assert "审核中" in html  # the pending application's state
    # Its own line (¥100) only: neither the other supplier's goods (2 × ¥40) nor any shipping charge.
    sales = html[html.index('id="sales-month"') :]
    assert sales.startswith('id="sales-month">¥100.00<')
    assert "茅岩莓公司" not in html


def test_supplier_parcels_are_listed_oldest_first(two_suppliers):
    first, second = supplier_data(two_suppliers, 2)
    html = section(todo_page(signed_in(two_suppliers["staff"])), "supplier")
    assert html.index(first.number) < html.index(second.number)


def test_supplier_page_takes_the_same_queries_for_one_or_many(two_suppliers, django_assert_max_num_queries):
    client = signed_in(two_suppliers["staff"])
    supplier_data(two_suppliers, 1)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)
    supplier_data(two_suppliers, 6)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)


# --- unit purchaser ---


@pytest.fixture
def two_units():
    ours = UnitFactory(name="市教育局", annual_target=Decimal("200000.00"), canteen_budget=Decimal("1000000.00"))
    theirs = UnitFactory(name="市卫健委")
    member = UserFactory(role=roles.UNIT)
    ours.members.add(member)
    outsider = UserFactory(role=roles.UNIT)
    theirs.members.add(outsider)
    return {"ours": ours, "theirs": theirs, "member": member, "outsider": outsider}


def unit_data(world, size):
    today = timezone.localdate()
    for _ in range(size):
        PurchaseRecordFactory(unit=world["ours"], unit_price=Decimal("1234.50"), quantity=Decimal("10"))
        PurchaseRecordFactory(unit=world["ours"], confirmation="disputed", dispute_reason="没有收到货")
        PurchaseRecordFactory(unit=world["theirs"], confirmation="disputed", dispute_reason="数量不对")
    return today


def test_unit_sees_its_report_state_progress_and_disputed_records_only(two_units, settings):
    settings.REPORT_DEADLINE_DAYS = -20
    unit_data(two_units, 1)
    html = section(todo_page(signed_in(two_units["member"])), "unit")
    assert "市教育局" in html and "市卫健委" not in html
    # 12,345.00 + 800.00 bought this year against ¥200,000 (6.6%) and a reserved share of ¥100,000 (13.1%).
    assert "¥13,145.00" in html
    assert "6.6%" in html and "13.1%" in html
    assert "¥200,000.00" in html
    disputed = html[html.index('id="todo-disputed"') : html.index("</a>", html.index('id="todo-disputed"'))]
    assert 'todo-count">1<' in disputed
    period = report_services.default_period()
    assert f"截止日期 {period.deadline:%Y-%m-%d}" in html
    assert 'class="report-state report-none"' in html
    assert "逾期" in html  # the due period's deadline is past and nothing was submitted


def test_unit_sees_its_returned_report_and_the_records_in_it(two_units):
    period = report_services.default_period()
    for unit in (two_units["ours"], two_units["theirs"]):
        PurchaseRecordFactory(unit=unit, purchased_on=period.start)
        HalfMonthReport.objects.create(
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            status=ReportStatus.RETURNED,
            review_comment="金额与发票不符" if unit == two_units["ours"] else "别家的意见",
        )
    html = section(todo_page(signed_in(two_units["member"])), "unit")
    assert "金额与发票不符" in html and "别家的意见" not in html
    corrections = html[html.index('id="todo-to-correct"') :]
    assert 'todo-count">1<' in corrections[:400]


def test_unit_sees_its_unit_orders_waiting_for_payment_only(two_units):
    product = certified_product(title="桑植白茶")
    orders = {}
    for key, person in (("ours", "member"), ("theirs", "outsider")):
        basket = basket_for(two_units[person], (product, 1))
        orders[key] = place(
            two_units[person], basket, unit=two_units[key], invoice_title=two_units[key].name, invoice_tax_number=""
        ).order
    html = section(todo_page(signed_in(two_units["member"])), "unit")
    assert orders["ours"].number in html and orders["theirs"].number not in html


def test_unit_page_takes_the_same_queries_for_one_or_many(two_units, django_assert_max_num_queries):
    client = signed_in(two_units["member"])
    unit_data(two_units, 1)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)
    unit_data(two_units, 8)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)


# --- village and township clerks ---


@pytest.fixture
def townships():
    ours = region("430822101000", "澧源镇")
    villages = [region("430822101201", "合群村"), region("430822101202", "双溪桥村")]
    theirs_village = region("430822102201", "外乡村")
    clerks = {
        "township": UserFactory(role=roles.TOWNSHIP, region=ours),
        "village": UserFactory(role=roles.VILLAGE, region=villages[0]),
        "other_village": UserFactory(role=roles.VILLAGE, region=theirs_village),
    }
    return {"township": ours, "villages": villages, "theirs_village": theirs_village, "clerks": clerks}


def returned_village_report(world):
    period = report_services.default_period()
    village = world["villages"][0]
    PurchaseRecordFactory(village=village, purchased_on=period.start)
    report = report_services.report_for(user=world["clerks"]["village"], period=period, region=village)
    report_services.report_submit(report=report, user=world["clerks"]["village"])
    report_services.report_return(report=report, user=world["clerks"]["township"], comment="请补充收据")
    return report


def test_a_township_clerk_sees_a_returned_village_report_and_each_villages_state(townships):
    report = returned_village_report(townships)
    html = section(todo_page(signed_in(townships["clerks"]["township"])), "township")
    villages = html[html.index('id="todo-villages"') :]
    assert "合群村" in villages and "双溪桥村" in villages
    assert "外乡村" not in html
    row_start = villages.rindex("<li", 0, villages.index("合群村"))
    returned = villages[row_start : villages.index("</li>", row_start)]
    assert "已退回" in returned
    assert reverse("reports-dashboard:report-detail", args=[report.pk]) in returned


def test_a_village_clerk_sees_its_own_registrations_and_returned_report_not_another_villages(townships):
    returned_village_report(townships)
    today = timezone.localdate()
    PurchaseRecordFactory(village=townships["villages"][0], purchased_on=today, seller_name="张大爷")
    PurchaseRecordFactory(village=townships["theirs_village"], purchased_on=today)
    html = section(todo_page(signed_in(townships["clerks"]["village"])), "village")
    assert "请补充收据" in html
    registrations = html[html.index('id="todo-registrations"') :]
    assert '<p class="h4 mb-1">1</p>' in registrations
    assert "¥800.00" in registrations
    other = section(todo_page(signed_in(townships["clerks"]["other_village"])), "village")
    assert "请补充收据" not in other


def test_clerk_pages_take_the_same_queries_for_one_or_many(townships, django_assert_max_num_queries):
    client = signed_in(townships["clerks"]["township"])
    returned_village_report(townships)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)
    for code in range(203, 215):
        village = region(f"430822101{code}")
        PurchaseRecordFactory.create_batch(3, village=village)
    with django_assert_max_num_queries(MAX_QUERIES):
        todo_page(client)


# --- county and city reviewers ---


@pytest.fixture
def counties():
    ours = region("430822000000", "桑植县")
    theirs = region("430821000000", "慈利县")
    return {
        "ours": ours,
        "theirs": theirs,
        "reviewer": UserFactory(role=roles.COUNTY, region=ours),
        "city": UserFactory(role=roles.CITY, region=region("430800000000", "张家界市")),
    }


def county_data(world, size):
    period = report_services.default_period()
    first = HalfMonthReport.objects.count() // 2
    for n in range(first, first + size):
        for county, name in ((world["ours"], "本县"), (world["theirs"], "外县")):
            township = region(f"{county.code[:6]}{101 + n:03d}000", f"{name}乡{n}")
            clerk = UserFactory(role=roles.TOWNSHIP, region=township)
            report = report_services.report_for(user=clerk, period=period, region=township)
            report_services.report_submit(report=report, user=clerk)
            partner = CertifiedPartnerFactory(region=region(f"{county.code[:6]}{101 + n:03d}201"))
            ProductCertificationFactory(
                partner=partner, status=CertificationStatus.PENDING, certificate_number=None, valid_until=None
            )


def test_a_county_reviewer_sees_its_townships_reports_and_applications_only(counties):
    county_data(counties, 2)
    html = section(todo_page(signed_in(counties["reviewer"])), "county")
    waiting = html[html.index('id="todo-review"') : html.index('id="todo-returned"')]
    assert "本县乡0" in waiting and "本县乡1" in waiting and "外县" not in waiting
    assert 'todo-count">2<' in waiting
    applications = html[html.index('id="todo-applications"') :]
    assert 'todo-count">2<' in applications[:600]


def test_a_county_reviewer_sees_overdue_townships(counties, settings):
    settings.REPORT_DEADLINE_DAYS = -20  # every deadline of the period due is past
    region("430822103000", "迟报乡")
    county_data(counties, 1)
    html = section(todo_page(signed_in(counties["reviewer"])), "county")
    overdue = html[html.index('id="todo-overdue"') :]
    assert "迟报乡" in overdue[: overdue.index("card-footer")]


def test_reviewer_pages_take_the_same_queries_for_one_or_many(counties, django_assert_max_num_queries):
    clients = [signed_in(counties[person]) for person in ("reviewer", "city")]
    county_data(counties, 1)
    for client in clients:
        with django_assert_max_num_queries(MAX_QUERIES):
            todo_page(client)
    county_data(counties, 5)
    for client in clients:
        with django_assert_max_num_queries(MAX_QUERIES):
            todo_page(client)


# --- platform operator ---


def test_operator_sees_transfers_to_confirm_and_refunds_and_failed_mail(django_assert_max_num_queries):
    from operations.models import EmailDelivery

    operator = UserFactory(role=roles.OPERATOR, is_staff=True)
    buyer = UserFactory(role=roles.BUYER)
    product = certified_product(title="桑植白茶")
    waiting = place(buyer, basket_for(buyer, (product, 1))).order
    EmailDelivery.objects.create(subject="催报", recipients="a@example.cn", message={}, status="failed")
    client = signed_in(operator)
    with django_assert_max_num_queries(MAX_QUERIES):
        html = section(todo_page(client), "operator")
    assert waiting.number in html
    assert 'id="todo-failed-emails">未能送达的邮件<span class="badge badge-pill badge-danger todo-count">1<' in html
    for _ in range(6):
        place(buyer, basket_for(buyer, (product, 1)))
    with django_assert_max_num_queries(MAX_QUERIES):
        html = section(todo_page(client), "operator")
    assert 'todo-count">7<' in html


def test_operator_sees_cancelled_orders_whose_payment_is_owed_back():
    from shop.order.services import order_cancel_by_buyer, transfer_mark_received

    operator = UserFactory(role=roles.OPERATOR, is_staff=True)
    buyer = UserFactory(role=roles.BUYER)
    order = transfer_mark_received(order=place(buyer, basket_for(buyer, (certified_product(), 1))).order, user=operator)
    html = section(todo_page(signed_in(operator)), "operator")
    assert 'id="todo-refunds-owed"' in html and "已取消待退款的订单" in html
    assert 'badge-secondary todo-count">0<' in html.split('id="todo-refunds-owed"')[1].split("</a>")[0]
    order_cancel_by_buyer(order=order, user=buyer)
    html = section(todo_page(signed_in(operator)), "operator")
    assert 'badge-warning todo-count">1<' in html.split('id="todo-refunds-owed"')[1].split("</a>")[0]


def test_a_person_with_two_roles_gets_both_sections(two_suppliers, two_units):
    both = two_suppliers["staff"]
    both.groups.add(*two_units["member"].groups.all())
    two_units["ours"].members.add(both)
    html = todo_page(signed_in(both))
    assert 'id="todo-supplier"' in html and 'id="todo-unit"' in html
    assert "供应商人员" in html and "单位采购员" in html
