"""Household linkage (带贫益贫): what suppliers declare, and the office dashboard's estimate of the income reaching poor
households from the settlement ledger, recomputed here from the raw order lines, parcels and refunds in Python."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from settlement.selectors import household_income
from shop.aftersales.services import claim_answer, claim_mark_refunded, claim_open
from shop.order.services import shipment_ship, transfer_mark_received
from suppliers.models import HouseholdLink, Partner, ProductSource
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, region
from tests.integration.shop.support import basket_for, place

pytestmark = pytest.mark.django_db

Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")
Refund = get_model("payment", "Refund")
DASHBOARD = "/shop/dashboard/reports/office/"
LINKAGE = "/shop/dashboard/suppliers/linkage/"


@pytest.fixture
def county():
    return region("430822000000", "桑植县")


@pytest.fixture
def tea_coop():
    coop = CertifiedPartnerFactory(name="桑植白茶合作社", region=region("430822101201", "合群村"))
    HouseholdLink.objects.create(partner=coop, mechanism=Partner.LINK_PURCHASE, households=120, rate_percent="35.50")
    HouseholdLink.objects.create(partner=coop, mechanism=Partner.LINK_WAGES, households=18, rate_percent="12.25")
    return coop


@pytest.fixture
def salamander_farm():
    farm = CertifiedPartnerFactory(name="洪家关大鲵养殖场", region=region("430822102201", "洪家关村"))
    HouseholdLink.objects.create(partner=farm, mechanism=Partner.LINK_WAGES, households=23, rate_percent="8.00")
    return farm


@pytest.fixture
def sales(tea_coop, salamander_farm):
    """Two paid orders, one unpaid, a supplier elsewhere whose sales are outside the county, and a partial refund of
    the salamander granted on an after-sales claim and returned by bank transfer."""
    buyer = UserFactory(role="buyer")
    admin = UserFactory(is_staff=True, is_superuser=True)
    tea = certified_product(partner=tea_coop, title="桑植白茶", price="88.80")
    salamander = certified_product(partner=salamander_farm, title="大鲵", price="333.33")
    elsewhere = certified_product(
        partner=CertifiedPartnerFactory(region=region("433125101201", "保靖村")), title="保靖黄金茶", price="50.00"
    )
    orders = []
    for items in (((tea, 3), (salamander, 1)), ((tea, 1), (elsewhere, 2))):
        order = place(buyer, basket_for(buyer, *items)).order
        orders.append(transfer_mark_received(order=order, user=admin))
    place(buyer, basket_for(buyer, (tea, 7)))  # never paid
    staff = UserFactory(role="supplier")
    salamander_farm.users.add(staff)
    shipment = Shipment.objects.get(order=orders[0], partner=salamander_farm)
    shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1234567890")
    line = orders[0].lines.get(partner=salamander_farm)
    claim = claim_open(
        line=line, user=buyer, reason="missing", description="少了一只", remedy="partial_refund", amount="20.00"
    )
    claim_answer(claim=claim, user=staff, accept=True, answer="同意退 20 元")
    claim_mark_refunded(claim=claim, user=admin, bank_reference="转账 0031")


def independent_estimate(county):
    """The same figures from first principles: per supplier of the county, its paid lines and its own shipping, less
    the confirmed refunds of its lines; then × each rate it declared."""
    settled = {}
    paid = {"order__paid_at__isnull": False, "partner__region__code__startswith": county.prefix}
    for line in Line.objects.filter(**paid):
        settled[line.partner_id] = settled.get(line.partner_id, Decimal("0")) + line.line_price_incl_tax
    for shipment in Shipment.objects.filter(**paid):
        settled[shipment.partner_id] = settled.get(shipment.partner_id, Decimal("0")) + shipment.shipping_charge
    for refund in Refund.objects.filter(status=Refund.SUCCEEDED, line__partner__region__code__startswith=county.prefix):
        settled[refund.line.partner_id] -= refund.amount
    sales, income = {}, Decimal("0")
    for partner_id, amount in settled.items():
        for link in HouseholdLink.objects.filter(partner_id=partner_id):
            sales[link.mechanism] = sales.get(link.mechanism, Decimal("0")) + amount
            income += amount * link.rate_percent / 100
    return sales, income.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_estimate_matches_an_independent_computation(county, sales):
    figures = household_income(region=county, year=Line.objects.first().order.paid_at.year)
    expected_sales, expected_income = independent_estimate(county)
    assert {row["mechanism"]: row["sales"] for row in figures["rows"]} == expected_sales
    assert figures["income"] == expected_income
    # 4 × 88.80 = 355.20 of tea and 2 × 10.00 of its shipping (35.5% + 12.25%); 333.33 of salamander and 10.00 of its
    # shipping, less the 20.00 refunded (8%).
    assert expected_sales == {"purchase": Decimal("375.20"), "wages": Decimal("698.53")}
    assert expected_income == Decimal("205.02")
    wages = next(row for row in figures["rows"] if row["mechanism"] == "wages")
    assert (wages["suppliers"], wages["households"]) == (2, 41)


def test_the_office_dashboard_shows_the_figure_with_its_method(client, county, sales, django_assert_max_num_queries):
    client.force_login(UserFactory(role="county", region=county))
    with django_assert_max_num_queries(40):
        page = client.get(DASHBOARD)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="household-income">205.02</th>' in body
    method = body.split('id="household-income-method"')[1].split("</p>")[0]
    assert "估算方法" in method and "结算台账" in method and "收购贫困户农产品" in body


def test_the_supplier_declares_its_linkage_and_sources(client, tea_coop):
    staff = UserFactory(role="supplier")
    tea_coop.users.add(staff)
    product = certified_product(partner=tea_coop, title="桑植白茶")
    client.force_login(staff)
    village = region("430822101201", "合群村")
    response = client.post(
        LINKAGE,
        {
            "action": "link",
            "mechanism": "dividend",
            "households": "40",
            "rate_percent": "5",
            "villages": [village.pk],
            "description": "村集体光伏入股分红",
        },
    )
    assert response.status_code == 302
    link = HouseholdLink.objects.get(partner=tea_coop, mechanism="dividend")
    assert link.rate_percent == Decimal("5.00") and list(link.villages.all()) == [village]

    client.post(
        LINKAGE,
        {
            "action": "source",
            "product": product.pk,
            "kind": "household",
            "name": "向大伯",
            "village_code": village.code,
            "households": "1",
        },
    )
    assert ProductSource.objects.get().name == "向大伯"
    page = client.get(LINKAGE).content.decode()
    assert "向大伯" in page and "村集体光伏入股分红" in page


def test_a_rate_above_100_is_refused_and_nothing_saved(client, tea_coop):
    staff = UserFactory(role="supplier")
    tea_coop.users.add(staff)
    client.force_login(staff)
    response = client.post(
        LINKAGE, {"action": "link", "mechanism": "dividend", "households": "4", "rate_percent": "150"}
    )
    assert response.status_code == 400
    assert not HouseholdLink.objects.filter(mechanism="dividend").exists()


def test_another_supplier_cannot_remove_a_linkage_and_offices_cannot_open_the_page(client, tea_coop):
    link = tea_coop.household_links.first()
    other = CertifiedPartnerFactory()
    stranger = UserFactory(role="supplier")
    other.users.add(stranger)
    client.force_login(stranger)
    assert client.post(LINKAGE, {"action": "delete-link", "pk": link.pk}).status_code == 404
    client.force_login(UserFactory(role="county", region=region("430822000000", "桑植县")))
    assert client.get(LINKAGE).status_code == 403
    assert HouseholdLink.objects.filter(pk=link.pk).exists()
    assert reverse("suppliers-dashboard:household-linkage") == LINKAGE
