"""What an order brings poor households, on the buyer's and the operator's order pages: the order's settled amount (the
settlement ledger's credits less its refund and claim debits) by the household-linkage mechanisms its suppliers
declared, and the estimated income; recomputed here from the raw order lines, parcels and refunds."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from settlement.models import LedgerEntry
from settlement.selectors import order_household_income
from shop.aftersales.models import ClaimStatus
from shop.aftersales.services import claim_answer, claim_mark_refunded, claim_open
from shop.order.services import shipment_ship, transfer_mark_received
from suppliers.models import HouseholdLink, Partner
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

Line = get_model("order", "Line")
Shipment = get_model("order", "Shipment")
Refund = get_model("payment", "Refund")

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
METHOD = "估算方法"


@pytest.fixture
def order():
    """A paid order from three suppliers: a tea cooperative with two mechanisms, a salamander farm paying wages, a
    village collective paying dividends (10.10 × 5% = 0.505, which rounds half up to 0.51)."""
    tea_coop = CertifiedPartnerFactory(name="桑植白茶合作社", shipping_rate=Decimal("10.00"))
    HouseholdLink.objects.create(
        partner=tea_coop, mechanism=Partner.LINK_PURCHASE, households=120, rate_percent="35.50"
    )
    HouseholdLink.objects.create(partner=tea_coop, mechanism=Partner.LINK_WAGES, households=18, rate_percent="12.25")
    farm = CertifiedPartnerFactory(name="洪家关大鲵养殖场", shipping_rate=Decimal("0.00"))
    HouseholdLink.objects.create(partner=farm, mechanism=Partner.LINK_WAGES, households=23, rate_percent="8.00")
    collective = CertifiedPartnerFactory(name="合群村集体经济合作社", shipping_rate=Decimal("0.00"))
    HouseholdLink.objects.create(partner=collective, mechanism=Partner.LINK_DIVIDEND, households=40, rate_percent="5")
    buyer, operator = UserFactory(role="buyer"), UserFactory(role="operator", is_staff=True)
    tea = certified_product(partner=tea_coop, title="桑植白茶 明前", price="88.80")
    salamander = certified_product(partner=farm, title="大鲵", price="333.33")
    pepper = certified_product(partner=collective, title="七星椒", price="10.10")
    honey = certified_product(partner=farm, title="土蜂蜜", price="120.00")
    placed = place(buyer, basket_for(buyer, (tea, 3), (salamander, 1), (pepper, 1), (honey, 2))).order
    transfer_mark_received(order=placed, user=operator)
    return {"order": placed, "buyer": buyer, "operator": operator, "farm": farm}


def granted_claim(order, title, remedy, amount=None):
    """The farm ships, the buyer claims on a line, the farm agrees, the operator returns the money by transfer."""
    people, line = order, order["order"].lines.get(title=title)
    staff = UserFactory(role="supplier")
    line.partner.users.add(staff)
    shipment = Shipment.objects.get(order=order["order"], partner=line.partner)
    if shipment.shipped_at is None:
        shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1234567890")
    line.refresh_from_db()
    claim = claim_open(
        line=line, user=people["buyer"], reason="missing", description="少发了", remedy=remedy, amount=amount
    )
    claim_answer(claim=claim, user=staff, accept=True, answer="同意退款")
    return claim_mark_refunded(claim=claim, user=people["operator"], bank_reference="工行转账 20261201-0031")


def independent_estimate(order):
    """From first principles: per supplier, its lines and its own shipping, less the confirmed refunds of its lines;
    then that amount × each rate the supplier declared."""
    settled = {}
    for line in Line.objects.filter(order=order):
        settled[line.partner_id] = settled.get(line.partner_id, Decimal("0")) + line.line_price_incl_tax
    for shipment in Shipment.objects.filter(order=order):
        settled[shipment.partner_id] = settled.get(shipment.partner_id, Decimal("0")) + shipment.shipping_charge
    for refund in Refund.objects.filter(order=order, status=Refund.SUCCEEDED).select_related("line"):
        settled[refund.line.partner_id] -= refund.amount
    amounts, incomes = {}, {}
    for partner_id, amount in settled.items():
        for link in HouseholdLink.objects.filter(partner_id=partner_id):
            amounts[link.mechanism] = amounts.get(link.mechanism, Decimal("0")) + amount
            incomes[link.mechanism] = incomes.get(link.mechanism, Decimal("0")) + amount * link.rate_percent / 100
    total = sum(incomes.values(), Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)
    return (
        {mechanism: amount.quantize(CENT, rounding=ROUND_HALF_UP) for mechanism, amount in amounts.items()},
        {mechanism: income.quantize(CENT, rounding=ROUND_HALF_UP) for mechanism, income in incomes.items()},
        total,
    )


def figures_by_mechanism(figures):
    return (
        {row["mechanism"]: row["sales"] for row in figures["rows"]},
        {row["mechanism"]: row["income"] for row in figures["rows"]},
        figures["income"],
    )


def test_the_figures_match_an_independent_computation_in_one_query(order, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = order_household_income(order=order["order"])
    amounts, incomes, total = independent_estimate(order["order"])
    assert figures_by_mechanism(figures) == (amounts, incomes, total)
    # 3 × 88.80 = 266.40 of tea and 10.00 of its shipping (35.5% and 12.25%); 333.33 of salamander and 2 × 120.00 of
    # honey (8%); 10.10 of pepper (5%).
    assert amounts == {"purchase": Decimal("276.40"), "wages": Decimal("849.73"), "dividend": Decimal("10.10")}
    assert incomes == {"purchase": Decimal("98.12"), "wages": Decimal("79.73"), "dividend": Decimal("0.51")}
    assert total == Decimal("178.35")


def test_a_partial_claim_and_a_full_claim_lower_the_figure_by_exactly_their_amounts(order):
    before = figures_by_mechanism(order_household_income(order=order["order"]))
    granted_claim(order, "大鲵", "partial_refund", amount="33.33")
    after_partial = figures_by_mechanism(order_household_income(order=order["order"]))
    assert after_partial[0]["wages"] == before[0]["wages"] - Decimal("33.33")
    assert after_partial[0]["purchase"] == before[0]["purchase"]
    granted_claim(order, "土蜂蜜", "refund")
    after_full = order_household_income(order=order["order"])
    assert figures_by_mechanism(after_full) == independent_estimate(order["order"])
    # 849.73 − 33.33 − 240.00 = 576.40 of wages-linked sales.
    assert figures_by_mechanism(after_full)[0]["wages"] == Decimal("576.40")
    # The money returned by transfer is in the ledger as the farm's debits, so its statement pays it that much less.
    debits = LedgerEntry.objects.filter(partner=order["farm"], kind="refund").values_list("amount", flat=True)
    assert sorted(debits) == [Decimal("-240.00"), Decimal("-33.33")]
    assert order["order"].lines.get(title="土蜂蜜").status == "refunded"
    assert order["order"].lines.get(title="大鲵").status != "refunded"


def test_the_buyer_sees_each_mechanism_and_the_method_beside_the_figure(client, order, django_assert_max_num_queries):
    client.force_login(order["buyer"])
    url = reverse("customer:order", kwargs={"order_number": order["order"].number})
    with django_assert_max_num_queries(55):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "本订单带贫益贫" in html and "本订单结算金额" in html
    assert "收购贫困户农产品" in html and "资产收益分红带贫" in html
    assert "178.35" in html.split('id="order-household-income"')[1].split("</th>")[0]
    method = html.split('id="order-household-income-method"')[1].split("</p>")[0]
    assert METHOD in method and "结算台账" in method and "售后" in method


def test_the_operator_sees_the_same_figure_on_the_dashboard_order_page(client, order, django_assert_max_num_queries):
    client.force_login(order["operator"])
    url = reverse("dashboard:order-detail", kwargs={"number": order["order"].number})
    with django_assert_max_num_queries(80):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "178.35" in html.split('id="order-household-income"')[1].split("</th>")[0]
    assert METHOD in html and "带贫方式" in html


def test_an_unpaid_order_counts_once_its_money_is_received(client):
    buyer = UserFactory(role="buyer")
    coop = CertifiedPartnerFactory(name="桑植白茶合作社")
    HouseholdLink.objects.create(partner=coop, mechanism=Partner.LINK_PURCHASE, households=120, rate_percent="35")
    tea = certified_product(partner=coop, title="桑植白茶", price="50.00")
    placed = place(buyer, basket_for(buyer, (tea, 2))).order
    assert order_household_income(order=placed) == {"rows": [], "income": Decimal("0.00")}
    client.force_login(buyer)
    html = client.get(reverse("customer:order", kwargs={"order_number": placed.number})).content.decode()
    assert "收到货款后计入" in html and 'id="order-household-income"' not in html


def test_nothing_is_shown_when_the_suppliers_declared_no_linkage(client):
    buyer = UserFactory(role="buyer")
    tea = certified_product(partner=CertifiedPartnerFactory(name="保靖黄金茶厂"), title="保靖黄金茶", price="50.00")
    placed = place(buyer, basket_for(buyer, (tea, 2))).order
    transfer_mark_received(order=placed, user=UserFactory(role="operator", is_staff=True))
    client.force_login(buyer)
    html = client.get(reverse("customer:order", kwargs={"order_number": placed.number})).content.decode()
    assert "保靖黄金茶" in html
    assert "order-household-linkage" not in html and METHOD not in html
    assert order_household_income(order=placed) == {"rows": [], "income": Decimal("0.00")}


def test_another_buyer_and_a_supplier_of_the_order_cannot_see_the_order_or_its_figure(client, order):
    url = reverse("customer:order", kwargs={"order_number": order["order"].number})
    client.force_login(UserFactory(role="buyer"))
    response = client.get(url)
    assert response.status_code == 404 and b"178.35" not in response.content
    # The whole order (every supplier's amounts) is the operator's; supplier staff see their own lines elsewhere.
    staff = UserFactory(role="supplier")
    Partner.objects.get(name="桑植白茶合作社").users.add(staff)
    client.force_login(staff)
    response = client.get(reverse("dashboard:order-detail", kwargs={"number": order["order"].number}))
    assert response.status_code == 403 and b"178.35" not in response.content


def test_a_claim_refunded_by_transfer_is_refused_to_someone_without_the_refund_permission(order):
    from django.core.exceptions import PermissionDenied

    line = order["order"].lines.get(title="七星椒")
    staff = UserFactory(role="supplier")
    line.partner.users.add(staff)
    shipment = Shipment.objects.get(order=order["order"], partner=line.partner)
    shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1234567891")
    line.refresh_from_db()
    claim = claim_open(line=line, user=order["buyer"], reason="missing", description="少了一袋", remedy="refund")
    claim_answer(claim=claim, user=staff, accept=True, answer="同意")
    with pytest.raises(PermissionDenied):
        claim_mark_refunded(claim=claim, user=staff, bank_reference="自己转的")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REFUNDING and not Refund.objects.filter(order=order["order"]).exists()
