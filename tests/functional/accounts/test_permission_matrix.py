"""Every back-office address × every demo role → the answer that role gets.

The addresses come from the URL resolver: a new back-office view without a row here fails
`test_every_back_office_url_pattern_has_an_expectation`. Wagtail's and Django's admins have hundreds of addresses:
they are covered by a rule each, with a sample requested. Each request runs in a savepoint that is rolled back, so
every role meets the same data; state-changing requests are checked for their effect (nothing changes when refused).
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oscar.core.loading import get_model

from accounts import roles
from operations.halfmonths import half_month_bounds
from procurement import bulletins as procurement_bulletins
from procurement import services as procurement_services
from procurement.models import Bulletin, ShareFiling
from reports import services as report_services
from reports.models import HalfMonthReport, ImportJob, ReminderLog
from settlement import services as settlement_services
from settlement.models import LedgerEntry, Statement
from shop.invoicing.models import Invoice
from shop.invoicing.services import invoice_request
from shop.order.services import transfer_mark_received
from suppliers.models import CertificationStatus, ProductCertification
from tests.factories import (
    PRICE_PROOF,
    CategoryFactory,
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

Order = get_model("order", "Order")
Refund = get_model("payment", "Refund")
ProductClass = get_model("catalogue", "ProductClass")
ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "buyer",
    "supplier",
    "unit",
    "village",
    "township",
    "county",
    "city",
    "editor",
    "moderator",
    "operator",
    "admin",
]
LOGIN = "login"  # 302 to a sign-in page
LOGIN_PATHS = {"/shop/accounts/login/", "/shop/dashboard/login/", "/cms/login/", "/django-admin/login/"}
BACK_OFFICE = {"supplier", "unit", "village", "township", "county", "city", "operator", "admin"}
REPORTING = {"unit", "village", "township", "county", "city", "admin"}
UNIT_ORDERS = {"supplier", "unit", "village", "operator", "admin"}
MISSING = 999999  # Oscar's own admin-only pages are gated before their object is looked up


def only(allowed, status=200, **others):
    """Anonymous visitors are sent to sign in, `allowed` roles get `status`, every other role is refused (403)."""
    answers = {role: 403 for role in ROLES}
    answers["anonymous"] = LOGIN
    answers.update(dict.fromkeys(allowed, status))
    answers.update(others)
    return answers


def admin_only(status=200):
    return only({"admin"}, status)


# route → (GET expectations, the kwargs that fill it: names of the objects built below, or fixed values)
MATRIX = {
    # Oscar's dashboard: its home is every back-office role's start page.
    "shop/dashboard/": only(BACK_OFFICE),
    "shop/dashboard/login/": dict.fromkeys(ROLES, 200),
    "shop/dashboard/logout/": dict.fromkeys(ROLES, 405),
    # Background tasks that failed: the operator reads them and runs them again.
    "shop/dashboard/failed-tasks/": only({"operator", "admin"}),
    "shop/dashboard/failed-tasks/<uuid:task_id>/retry/": only({"operator", "admin"}, 405),
    # Orders: whole orders and buyers' addresses for the operator; fulfilment for the supplier of the parcel.
    "shop/dashboard/orders/": only({"operator", "admin"}),
    "shop/dashboard/orders/statistics/": only({"operator", "admin"}),
    "shop/dashboard/orders/<str:number>/": only({"operator", "admin"}),
    "shop/dashboard/orders/<str:number>/notes/<int:note_id>/": only({"operator", "admin"}),
    "shop/dashboard/orders/<str:number>/lines/<int:line_id>/": only({"operator", "admin"}),
    "shop/dashboard/orders/<str:number>/shipping-address/": only({"operator", "admin"}),
    "shop/dashboard/orders/fulfilment/": only({"supplier", "admin"}),
    "shop/dashboard/orders/fulfilment/<int:pk>/": only({"supplier", "admin"}),
    "shop/dashboard/orders/fulfilment/<int:pk>/ship/": only({"supplier", "admin"}, 405),
    "shop/dashboard/orders/fulfilment/<int:pk>/deliver/": only({"supplier", "admin"}, 405),
    "shop/dashboard/orders/payments/": only({"operator", "admin"}),
    "shop/dashboard/orders/payments/<str:number>/received/": only({"operator", "admin"}, 405),
    "shop/dashboard/orders/payments/<str:number>/refund/": only({"operator", "admin"}, 405),
    "shop/dashboard/orders/payments/<str:number>/refund-transfer/": only({"operator", "admin"}, 405),
    # Products: supplier staff keep their own (Oscar shows them nothing else); the rest of the catalogue is admin's.
    "shop/dashboard/catalogue/": only({"supplier", "admin"}),
    "shop/dashboard/catalogue/products/<int:pk>/": only({"supplier", "admin"}),
    "shop/dashboard/catalogue/products/create/": only({"supplier", "admin"}, 302),
    "shop/dashboard/catalogue/^products/create/(?P<product_class_slug>[\\w-]+)/$": only({"supplier", "admin"}),
    "shop/dashboard/catalogue/products/<int:pk>/delete/": only({"supplier", "admin"}),
    "shop/dashboard/catalogue/products/bulk-action/": only({"supplier", "admin"}, 302),
    "shop/dashboard/catalogue/product-lookup/": only({"supplier", "admin"}),
    "shop/dashboard/catalogue/products/<int:parent_pk>/create-variant/": admin_only(302),
    "shop/dashboard/catalogue/stock-alerts/": admin_only(),
    "shop/dashboard/catalogue/categories/": admin_only(),
    "shop/dashboard/catalogue/categories/<int:pk>/": admin_only(),
    "shop/dashboard/catalogue/categories/create/": admin_only(),
    "shop/dashboard/catalogue/categories/create/<int:parent>/": admin_only(),
    "shop/dashboard/catalogue/categories/<int:pk>/update/": admin_only(),
    "shop/dashboard/catalogue/categories/<int:pk>/delete/": admin_only(),
    "shop/dashboard/catalogue/product-type/create/": admin_only(),
    "shop/dashboard/catalogue/product-types/": admin_only(),
    "shop/dashboard/catalogue/product-type/<int:pk>/update/": admin_only(),
    "shop/dashboard/catalogue/product-type/<int:pk>/delete/": admin_only(),
    "shop/dashboard/catalogue/attribute-option-group/create/": admin_only(),
    "shop/dashboard/catalogue/attribute-option-group/": admin_only(),
    "shop/dashboard/catalogue/attribute-option-group/<str:pk>/update/": admin_only(404),
    "shop/dashboard/catalogue/attribute-option-group/<str:pk>/delete/": admin_only(404),
    "shop/dashboard/catalogue/option/": admin_only(),
    "shop/dashboard/catalogue/option/create/": admin_only(),
    "shop/dashboard/catalogue/option/<str:pk>/update/": admin_only(404),
    "shop/dashboard/catalogue/option/<str:pk>/delete/": admin_only(404),
    # The rest of Oscar's dashboard is the administrator's.
    "shop/dashboard/reports/": admin_only(),
    "shop/dashboard/users/": admin_only(),
    "shop/dashboard/users/^(?P<pk>-?\\d+)/$": admin_only(),
    "shop/dashboard/users/^(?P<pk>-?\\d+)/password-reset/$": admin_only(405),
    "shop/dashboard/users/alerts/": admin_only(),
    "shop/dashboard/users/^alerts/(?P<pk>-?\\d+)/delete/$": admin_only(404),
    "shop/dashboard/users/^alerts/(?P<pk>-?\\d+)/update/$": admin_only(404),
    "shop/dashboard/pages/": admin_only(),
    "shop/dashboard/pages/create/": admin_only(),
    "shop/dashboard/pages/update/<str:pk>/": admin_only(404),
    "shop/dashboard/pages/delete/<str:pk>/": admin_only(404),
    "shop/dashboard/partners/": admin_only(),
    "shop/dashboard/partners/create/": admin_only(),
    "shop/dashboard/partners/<int:pk>/": admin_only(),
    "shop/dashboard/partners/<int:pk>/delete/": admin_only(),
    "shop/dashboard/partners/<int:partner_pk>/users/add/": admin_only(),
    "shop/dashboard/partners/<int:partner_pk>/users/select/": admin_only(),
    "shop/dashboard/partners/<int:partner_pk>/users/<int:user_pk>/link/": admin_only(302),
    "shop/dashboard/partners/<int:partner_pk>/users/<int:user_pk>/unlink/": admin_only(405),
    "shop/dashboard/partners/<int:partner_pk>/users/<int:user_pk>/update/": admin_only(),
    "shop/dashboard/offers/": admin_only(),
    "shop/dashboard/offers/new/metadata/": admin_only(),
    "shop/dashboard/offers/new/condition/": admin_only(302),
    "shop/dashboard/offers/new/incentive/": admin_only(302),
    "shop/dashboard/offers/new/restrictions/": admin_only(302),
    "shop/dashboard/offers/<int:pk>/metadata/": admin_only(404),
    "shop/dashboard/offers/<int:pk>/condition/": admin_only(404),
    "shop/dashboard/offers/<int:pk>/incentive/": admin_only(404),
    "shop/dashboard/offers/<int:pk>/restrictions/": admin_only(404),
    "shop/dashboard/offers/<int:pk>/delete/": admin_only(404),
    "shop/dashboard/offers/<int:pk>/": admin_only(404),
    "shop/dashboard/ranges/": admin_only(),
    "shop/dashboard/ranges/create/": admin_only(),
    "shop/dashboard/ranges/<int:pk>/": admin_only(404),
    "shop/dashboard/ranges/<int:pk>/delete/": admin_only(404),
    "shop/dashboard/ranges/<int:pk>/products/": admin_only(404),
    "shop/dashboard/ranges/<int:pk>/reorder/": admin_only(405),
    # Buyers' reviews wait for the platform operator (or the administrator) to approve or reject them.
    "shop/dashboard/reviews/": only({"operator", "admin"}),
    "shop/dashboard/reviews/<int:pk>/": only({"operator", "admin"}),
    "shop/dashboard/reviews/<int:pk>/delete/": only({"operator", "admin"}),
    "shop/dashboard/vouchers/": admin_only(),
    "shop/dashboard/vouchers/create/": admin_only(),
    "shop/dashboard/vouchers/update/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/delete/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/stats/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/sets/": admin_only(),
    "shop/dashboard/vouchers/sets/create/": admin_only(),
    "shop/dashboard/vouchers/sets/update/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/sets/detail/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/sets/download/<int:pk>/": admin_only(404),
    "shop/dashboard/vouchers/sets/delete/<int:pk>/": admin_only(404),
    "shop/dashboard/comms/": admin_only(),
    "shop/dashboard/comms/^(?P<slug>[\\w-]+)/$": admin_only(404),
    "shop/dashboard/shipping/weight-based/": admin_only(),
    "shop/dashboard/shipping/weight-based/create/": admin_only(),
    "shop/dashboard/shipping/weight-based/<int:pk>/": admin_only(404),
    "shop/dashboard/shipping/weight-based/<int:pk>/edit/": admin_only(404),
    "shop/dashboard/shipping/weight-based/<int:pk>/delete/": admin_only(404),
    "shop/dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/": admin_only(404),
    "shop/dashboard/shipping/weight-based/<int:method_pk>/bands/<int:pk>/delete/": admin_only(404),
    # Certification: supplier staff apply; the county office of the supplier's county decides; the city follows.
    "shop/dashboard/suppliers/certifications/": only({"supplier", "county", "city", "admin"}),
    "shop/dashboard/suppliers/certifications/apply/": only({"supplier"}),
    "shop/dashboard/suppliers/certifications/apply/supplier/": only({"supplier"}),
    "shop/dashboard/suppliers/profile/": only({"supplier"}),
    "shop/dashboard/suppliers/certifications/record/": only({"county"}),
    "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/<str:decision>/": only({"county", "admin"}, 405),
    # Evidence files answer 404 to whoever may not see them, signed in or not (this application has none stored).
    "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/files/<str:field>/": dict.fromkeys(ROLES, 404),
    # The township's first check; revocation by the county or the city office; renewal by the supplier's staff;
    # the county's batches on public notice and the objections to them.
    "shop/dashboard/suppliers/certifications/township/": only({"township", "admin"}),
    "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/township/<str:decision>/": only(
        {"township", "admin"}, 405
    ),
    "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/revoke/": only({"county", "city", "admin"}, 405),
    "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/renew/": only({"supplier"}, admin=404),
    "shop/dashboard/suppliers/batches/": only({"county", "admin"}),
    "shop/dashboard/suppliers/batches/<int:pk>/publish/": only({"county", "admin"}, 405),
    "shop/dashboard/suppliers/objections/<int:pk>/answer/": only({"county", "admin"}, 405),
    # Honest prices: the offices see prices above reference, the county decides rises; suppliers keep their linkage.
    "shop/dashboard/suppliers/prices/": only({"county", "city"}),
    "shop/dashboard/suppliers/prices/<int:pk>/<str:decision>/": only({"county", "admin"}, 405),
    "shop/dashboard/suppliers/linkage/": only({"supplier"}),
    # Change requests to certified facts: the supplier follows its own, the county decides, the city follows.
    "shop/dashboard/suppliers/changes/": only({"supplier", "county", "city"}, admin=403),
    "shop/dashboard/suppliers/changes/<int:pk>/<str:decision>/": only({"county", "admin"}, 405),
    # Purchase records and half-month reports: each role within its unit, village or jurisdiction.
    "shop/dashboard/reports/office/": only({"county", "city"}),
    "shop/dashboard/reports/office/chart-<office_chart:chart>.xlsx": only({"county", "city"}),
    "shop/dashboard/reports/records/": only(REPORTING | {"supplier"}),
    "shop/dashboard/reports/records/new/": only({"unit", "village", "admin"}),
    "shop/dashboard/reports/records/<int:pk>/": only(REPORTING | {"supplier"}),
    "shop/dashboard/reports/records/<int:pk>/confirm/": only({"supplier", "village", "admin"}, 405),
    "shop/dashboard/reports/records/<int:pk>/edit/": only({"unit", "village", "admin"}),
    "shop/dashboard/reports/records/<int:pk>/delete/": only({"unit", "village", "admin"}, 405),
    # Receipts and import files answer 404 to whoever may not see them (this record and job have none stored).
    "shop/dashboard/reports/records/<int:pk>/receipt/": dict.fromkeys(ROLES, 404),
    "shop/dashboard/reports/imports/<int:pk>/file/": dict.fromkeys(ROLES, 404),
    "shop/dashboard/reports/imports/": only({"unit", "village", "admin"}),
    "shop/dashboard/reports/imports/<int:pk>/": only({"unit"}, village=404, admin=404),
    "shop/dashboard/reports/imports/<int:pk>/decide/": only({"unit", "village", "admin"}, 405),
    "shop/dashboard/reports/imports/template.<spreadsheet:extension>": only({"unit", "village", "admin"}),
    "shop/dashboard/reports/half-month/": only(REPORTING),
    "shop/dashboard/reports/half-month/start/": only(REPORTING, 405),
    # Who has reported: the offices that bodies report to (the administrator answers for no jurisdiction).
    "shop/dashboard/reports/half-month/status/": only({"township", "county", "city"}),
    "shop/dashboard/reports/half-month/status/remind/": only({"township", "county", "city"}),
    # A unit's own progress: its members and the offices over it (the unit is in the county, not the township).
    "shop/dashboard/reports/units/<int:pk>/progress/": only(REPORTING, township=404, village=404),
    "shop/dashboard/reports/half-month/<int:pk>/": only(REPORTING, unit=404),
    "shop/dashboard/reports/half-month/<int:pk>/<report_action:action>/": only(REPORTING, 405),
    "shop/dashboard/reports/half-month/<int:pk>/download.<spreadsheet:extension>": only(REPORTING, unit=404),
    # After-sales claims: the supplier answers its own, the operator decides disputes and records offline refunds.
    "shop/dashboard/claims/": only({"supplier", "operator", "admin"}),
    "shop/dashboard/claims/<int:pk>/": only({"supplier", "operator", "admin"}, 404),
    "shop/dashboard/claims/<int:pk>/answer/": only({"supplier", "admin"}, 405),
    "shop/dashboard/claims/<int:pk>/decide/": only({"operator", "admin"}, 405),
    "shop/dashboard/claims/<int:pk>/refunded/": only({"operator", "admin"}, 405),
    # Reviews of a supplier's products, which its staff answer once.
    "shop/dashboard/product-reviews/": only({"supplier", "admin"}),
    "shop/dashboard/product-reviews/<int:pk>/answer/": only({"supplier", "admin"}, 405),
    # Settlement statements: a supplier's staff see their own; the operator sees every one and marks them paid.
    "shop/dashboard/settlement/statements/": only({"supplier", "operator", "admin"}),
    "shop/dashboard/settlement/statements/<int:pk>/": only({"supplier", "operator", "admin"}),
    "shop/dashboard/settlement/statements/<int:pk>/download.xlsx": only({"supplier", "operator", "admin"}),
    "shop/dashboard/settlement/statements/<int:pk>/pay/": only({"operator", "admin"}, 405),
    # Invoices: a supplier's staff issue their own; the operator may issue any on the platform's behalf.
    "shop/dashboard/invoices/": only({"supplier", "operator", "admin"}),
    "shop/dashboard/invoices/<int:pk>/issue/": only({"supplier", "operator", "admin"}, 405),
    # Unit orders after delivery: the unit's members (village clerks register purchases too, and see none), the
    # supplier and the operator follow them; overdue payments are the offices'. No unit order exists here: 404.
    "shop/dashboard/invoices/unit-orders/": only(UNIT_ORDERS),
    "shop/dashboard/invoices/unit-orders/overdue/": only({"county", "city"}),
    "shop/dashboard/invoices/unit-orders/<int:pk>/": only(UNIT_ORDERS, 404),
    "shop/dashboard/invoices/unit-orders/<int:pk>/accept/": only(UNIT_ORDERS, 405),
    "shop/dashboard/invoices/unit-orders/<int:pk>/voucher/": only(UNIT_ORDERS, 405),
    "shop/dashboard/invoices/unit-orders/<int:pk>/confirm/": only(UNIT_ORDERS, 405),
    "shop/dashboard/invoices/unit-orders/<int:pk>/files/<str:field>/": only(UNIT_ORDERS, 404),
    # Reserved share: a unit files its own; the county of a county-level unit confirms; the city sees its whole city.
    "shop/dashboard/procurement/filings/": only({"unit", "county", "city", "admin"}),
    "shop/dashboard/procurement/filings/<int:pk>/": only(
        {"unit", "county", "city", "admin"}, village=404, township=404
    ),
    "shop/dashboard/procurement/filings/<int:pk>/<filing_decision:step>/": only(
        {"township", "county", "city", "admin"}, 405
    ),
    "shop/dashboard/procurement/execution/": only({"county", "city"}),
    "shop/dashboard/procurement/bulletins/": only({"county", "city"}),
    # The county's bulletin: the city has its own (404 here); the administrator answers for no office.
    "shop/dashboard/procurement/bulletins/<int:pk>/": only({"county", "admin"}, city=404),
    "shop/dashboard/procurement/bulletins/<int:pk>/download.xlsx": only({"county", "admin"}, city=404),
    "shop/dashboard/procurement/bulletins/<int:pk>/send/": only({"county", "city", "admin"}, 405),
    # Group purchases: a unit's purchasers only, and only their own unit's vouchers and orders (this order is a
    # buyer's, so the unit is not found either).
    "shop/dashboard/procurement/vouchers/": only({"unit"}),
    "shop/dashboard/procurement/vouchers/<int:pk>/": only({"unit"}),
    "shop/dashboard/procurement/orders/<str:number>/recipients/": only({"unit"}, 404),
}

# Whole areas covered by one rule, with the sample of them that is requested.
WAGTAIL_EDITORS = {"editor", "moderator", "admin"}
CMS_SAMPLE = {
    "cms/": only(WAGTAIL_EDITORS) | {role: LOGIN for role in ROLES if role not in WAGTAIL_EDITORS},
    "cms/account/": only(WAGTAIL_EDITORS) | {role: LOGIN for role in ROLES if role not in WAGTAIL_EDITORS},
}
DJANGO_ADMIN_SAMPLE = {
    "django-admin/": {role: LOGIN for role in ROLES} | {"admin": 200},
    "django-admin/accounts/user/": {role: LOGIN for role in ROLES} | {"admin": 200},
    "django-admin/auth/group/": {role: LOGIN for role in ROLES} | {"admin": 200},
}
RULES = {"cms/": CMS_SAMPLE, "django-admin/": DJANGO_ADMIN_SAMPLE}
BACK_OFFICE_PREFIXES = ("shop/dashboard/", *RULES)


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def back_office_routes():
    return [route for route in walk(get_resolver().url_patterns) if route.startswith(BACK_OFFICE_PREFIXES)]


def fill(route, values):
    """The address of a route with its arguments filled in."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def world():
    """One of each demo role, and the objects the back-office addresses name."""
    village = region("430822101201", "合群村")
    county = region("430822000000", "桑植县")
    supplier_a = CertifiedPartnerFactory(name="桑植白茶合作社", region=village)
    unit = UnitFactory(region=county)
    unit.paired_villages.add(village)
    people = {
        "buyer": UserFactory(role=roles.BUYER),
        "supplier": UserFactory(role=roles.SUPPLIER),
        "unit": UserFactory(role=roles.UNIT),
        "village": UserFactory(role=roles.VILLAGE, region=village),
        "township": UserFactory(role=roles.TOWNSHIP, region=region("430822101000")),
        "county": UserFactory(role=roles.COUNTY, region=county),
        "city": UserFactory(role=roles.CITY, region=region("430800000000")),
        "editor": UserFactory(role=roles.EDITOR),
        "moderator": UserFactory(role=roles.MODERATOR),
        "operator": UserFactory(role=roles.OPERATOR, is_staff=True),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    supplier_a.users.add(people["supplier"])
    unit.members.add(people["unit"])

    product = certified_product(partner=supplier_a, title="桑植白茶 明前")
    pending_order = place(people["buyer"], basket_for(people["buyer"], (product, 1))).order
    paid_order = place(people["buyer"], basket_for(people["buyer"], (product, 2))).order
    transfer_mark_received(order=paid_order, user=people["admin"])
    note = paid_order.notes.create(message="买家要求周末送达", note_type="Info")
    category = CategoryFactory("茶叶")
    application = ProductCertificationFactory(
        partner=supplier_a,
        product=ProductFactory(title="桑植白茶 袋泡茶"),
        status=CertificationStatus.PENDING,
        **PRICE_PROOF,
    )
    record = PurchaseRecordFactory(unit=unit, village=village, seller_kind="supplier", supplier=supplier_a)
    period = report_services.default_period()
    report = report_services.report_for(user=people["village"], period=period, region=village)
    report_services.report_submit(report=report, user=people["village"])
    # A statement of a half month that has ended (only those can be paid), drawn from an entry dated in it.
    start, end = half_month_bounds(timezone.localdate().replace(day=1) - timedelta(days=1))
    LedgerEntry.objects.create(
        partner=supplier_a,
        kind="goods",
        amount=paid_order.lines.first().line_price_incl_tax,
        order=paid_order,
        source="matrix:earlier",
        occurred_at=settlement_services.start_of(start) + timedelta(hours=12),
    )
    (statement,) = settlement_services.statements_for_period(start=start, end=end)
    invoice = invoice_request(
        order=paid_order, user=people["buyer"], title_kind="person", title="李爱心"
    ).invoices.get()
    job = ImportJob.objects.create(uploaded_by=people["unit"], unit=unit, file_name="records.xlsx", sha256="0" * 64)
    county_unit = UnitFactory(name="桑植县教育局", level="county", region=county)
    county_unit.members.add(people["unit"])
    filing = procurement_services.filing_submit(
        unit=county_unit, year=2026, user=people["unit"], canteen="own", canteen_budget="600000", share_percent="10"
    )
    bulletin, _created = procurement_bulletins.bulletin_generate(office=county, period=period, overdue=[])
    batch = procurement_services.voucher_batch_buy(unit=county_unit, user=people["unit"], count=2, value=100)
    review = ProductReview.objects.create(
        product=product, user=people["buyer"], score=5, title="茶香浓郁", body="回甘明显，包装很好。"
    )
    values = {
        "number": paid_order.number,
        "note_id": note.pk,
        "line_id": paid_order.lines.first().pk,
        "pk": None,  # depends on the route, see kwargs_for
        "parent_pk": product.pk,
        "parent": category.pk,
        "product_class_slug": ProductClass.objects.first().slug,
        "partner_pk": supplier_a.pk,
        "user_pk": people["supplier"].pk,
        "method_pk": MISSING,
        "slug": "no-such-type",
        "kind": "product",
        "decision": "approve",
        "action": "approve",
        "extension": "xlsx",
        "field": "licence",
        "task_id": "00000000-0000-4000-8000-000000000000",
        "chart": "categories",
        "step": "confirm",
    }
    pks = {
        "orders/fulfilment/": paid_order.shipments.get().pk,
        "catalogue/products/": product.pk,
        "catalogue/categories/": category.pk,
        "catalogue/product-type/": ProductClass.objects.first().pk,
        "users/": people["supplier"].pk,
        "partners/": supplier_a.pk,
        "suppliers/certifications/": application.pk,
        "reports/records/": record.pk,
        "reports/imports/": job.pk,
        "reports/half-month/": report.pk,
        "reports/units/": unit.pk,
        "settlement/statements/": statement.pk,
        "dashboard/invoices/": invoice.pk,
        "procurement/filings/": filing.pk,
        "procurement/bulletins/": bulletin.pk,
        "procurement/vouchers/": batch.pk,
        "dashboard/reviews/": review.pk,
    }
    return {
        "people": people,
        "values": values,
        "pks": pks,
        "pending_order": pending_order,
        "paid_order": paid_order,
        "application": application,
        "record": record,
        "report": report,
        "statement": statement,
        "invoice": invoice,
        "filing": filing,
        "bulletin": bulletin,
        "review": review,
    }


def address(world, route):
    values = dict(world["values"])
    values["pk"] = next((pk for part, pk in world["pks"].items() if part in route), MISSING)
    return fill(route, values)


def client_as(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def answer(response):
    if response.status_code == 302 and urlsplit(response["Location"]).path in LOGIN_PATHS:
        return LOGIN
    return response.status_code


def request(client, method, url, data=None, probe=None):
    """The answer to one request, and what `probe` reads before its changes are rolled back."""
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        seen = probe() if probe else None
        transaction.set_rollback(True)
    return answer(response), seen


def test_every_back_office_url_pattern_has_an_expectation():
    missing = [
        route
        for route in back_office_routes()
        if route not in MATRIX and not any(route.startswith(prefix) for prefix in RULES)
    ]
    assert not missing, "Back-office URL patterns without a row in the permission matrix: " + ", ".join(missing)
    stale = set(MATRIX) - set(back_office_routes())
    assert not stale, f"Rows for URL patterns that no longer exist: {sorted(stale)}"


def test_every_sampled_rule_address_exists_and_the_rules_cover_hundreds_of_addresses():
    routes = back_office_routes()
    for prefix, sample in RULES.items():
        assert sum(route.startswith(prefix) for route in routes) > 100
        assert set(sample) <= set(routes), prefix


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_back_office_page(world, role):
    client = client_as(world, role)
    wrong = []
    for table in (MATRIX, CMS_SAMPLE, DJANGO_ADMIN_SAMPLE):
        for route, expected in table.items():
            url = address(world, route)
            got, _seen = request(client, "get", url)
            if got != expected[role]:
                wrong.append(f"{url}: expected {expected[role]}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def order_status(world):
    return Order.objects.get(pk=world["pending_order"].pk).status


def shipped(world):
    return world["paid_order"].shipments.get().shipped_at is not None


def refunds(world):
    return Refund.objects.count()


def certification_status(world):
    return ProductCertification.objects.get(pk=world["application"].pk).status


def record_confirmation(world):
    return world["record"].__class__.objects.get(pk=world["record"].pk).confirmation


def report_status(world):
    return HalfMonthReport.objects.get(pk=world["report"].pk).status


def statement_status(world):
    return Statement.objects.get(pk=world["statement"].pk).status


def invoice_status(world):
    return Invoice.objects.get(pk=world["invoice"].pk).status


def review_status(world):
    return ProductReview.objects.get(pk=world["review"].pk).status


def reminders_logged(world):
    return ReminderLog.objects.count()


def filing_status(world):
    return ShareFiling.objects.get(pk=world["filing"].pk).status


def bulletin_sent(world):
    bulletin = Bulletin.objects.get(pk=world["bulletin"].pk)
    return bulletin.status, bulletin.comment


# (route, extra values, POST data, what the action changes, the roles whose request changes it)
ACTIONS = [
    (
        "shop/dashboard/orders/payments/<str:number>/received/",
        "pending_order",
        {},
        order_status,
        {"operator", "admin"},
    ),
    ("shop/dashboard/orders/payments/<str:number>/refund/", "paid_order", {}, refunds, set()),
    (
        "shop/dashboard/orders/<str:number>/",
        "pending_order",
        {"order_action": "change_order_status", "new_status": "cancelled"},
        order_status,
        None,
    ),
    (
        "shop/dashboard/orders/fulfilment/<int:pk>/ship/",
        "paid_order",
        {"carrier": "顺丰速运", "tracking_number": "SF1234567890"},
        shipped,
        {"supplier", "admin"},
    ),
    (
        "shop/dashboard/suppliers/certifications/<str:kind>/<int:pk>/<str:decision>/",
        None,
        {},
        certification_status,
        {"county"},
    ),
    ("shop/dashboard/reports/records/<int:pk>/confirm/", None, {}, record_confirmation, {"supplier", "admin"}),
    ("shop/dashboard/reports/half-month/<int:pk>/<report_action:action>/", None, {}, report_status, {"township"}),
    # A period long overdue: every office has a body under it with someone to remind.
    (
        "shop/dashboard/reports/half-month/status/remind/",
        None,
        {"period": "2020-03-1"},
        reminders_logged,
        {"township", "county", "city"},
    ),
    (
        "shop/dashboard/settlement/statements/<int:pk>/pay/",
        None,
        {"bank_reference": "ABC2026000001", "paid_on": str(timezone.localdate())},
        statement_status,
        {"operator", "admin"},
    ),
    (
        "shop/dashboard/invoices/<int:pk>/issue/",
        None,
        {"action": "sent", "number": "04300012", "issued_on": str(timezone.localdate()), "sent_note": "顺丰 SF1"},
        invoice_status,
        {"supplier", "operator", "admin"},
    ),
    (
        "shop/dashboard/reviews/<int:pk>/",
        None,
        {"title": "茶香浓郁", "body": "回甘明显，包装很好。", "score": 5, "status": ProductReview.APPROVED},
        review_status,
        {"operator", "admin"},
    ),
    # Only the county of the unit confirms its filing; only the office whose bulletin it is sends it.
    ("shop/dashboard/procurement/filings/<int:pk>/<filing_decision:step>/", None, {}, filing_status, {"county"}),
    ("shop/dashboard/procurement/bulletins/<int:pk>/send/", None, {"comment": "请抓紧"}, bulletin_sent, {"county"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_a_refused_action_changes_nothing_and_a_permitted_one_takes_effect(world, role):
    client = client_as(world, role)
    wrong = []
    for route, order_key, data, probe, changers in ACTIONS:
        url = address(world, route)
        if order_key:
            url = url.replace(world["paid_order"].number, world[order_key].number)
        before = probe(world)
        got, after = request(client, "post", url, data, probe=lambda probe=probe: probe(world))
        if changers is None:
            if got in (LOGIN, 403, 404) and after != before:
                wrong.append(f"{url}: refused with {got} yet changed {before!r} → {after!r}")
            continue
        if role in changers and after == before:
            wrong.append(f"{url}: {role} is allowed, but {got} left it at {before!r}")
        if role not in changers and after != before:
            wrong.append(f"{url}: {role} is not allowed, yet {got} changed {before!r} → {after!r}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_staff_status_without_a_role_opens_nothing_in_the_back_office(world):
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    let_in = []
    for route, expected in MATRIX.items():
        if expected["buyer"] != 403:
            continue  # pages that answer everyone alike (the dashboard's login and logout)
        url = address(world, route)
        got, _seen = request(client, "get", url)
        if got != 403:
            let_in.append(f"{url}: {got}")
    for route in DJANGO_ADMIN_SAMPLE:
        got, _seen = request(client, "get", "/" + route)
        if got != LOGIN:
            let_in.append(f"/{route}: {got}")
    assert not let_in, "A staff account with no role was let into:\n" + "\n".join(let_in)
