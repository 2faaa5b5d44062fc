"""What an order brings poor households, on the buyer's and the operator's order pages: the order's amount by the
household-linkage mechanisms its suppliers declared and the estimated income, recomputed here line by line."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order import statuses
from shop.order.selectors import order_household_income
from shop.order.services import transfer_mark_received
from suppliers.models import HouseholdLink, Partner
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
METHOD = "估算方法"


@pytest.fixture
def order():
    """An order from three suppliers: a tea cooperative with two mechanisms, a salamander farm paying wages, a
    village collective paying dividends (10.10 × 5% = 0.505, which rounds half up to 0.51), and a cancelled line."""
    tea_coop = CertifiedPartnerFactory(name="桑植白茶合作社")
    HouseholdLink.objects.create(
        partner=tea_coop, mechanism=Partner.LINK_PURCHASE, households=120, rate_percent="35.50"
    )
    HouseholdLink.objects.create(partner=tea_coop, mechanism=Partner.LINK_WAGES, households=18, rate_percent="12.25")
    farm = CertifiedPartnerFactory(name="洪家关大鲵养殖场")
    HouseholdLink.objects.create(partner=farm, mechanism=Partner.LINK_WAGES, households=23, rate_percent="8.00")
    collective = CertifiedPartnerFactory(name="合群村集体经济合作社")
    HouseholdLink.objects.create(partner=collective, mechanism=Partner.LINK_DIVIDEND, households=40, rate_percent="5")
    buyer, operator = UserFactory(role="buyer"), UserFactory(role="operator", is_staff=True)
    tea = certified_product(partner=tea_coop, title="桑植白茶 明前", price="88.80")
    salamander = certified_product(partner=farm, title="大鲵", price="333.33")
    pepper = certified_product(partner=collective, title="七星椒", price="10.10")
    honey = certified_product(partner=farm, title="土蜂蜜", price="120.00")
    placed = place(buyer, basket_for(buyer, (tea, 3), (salamander, 1), (pepper, 1), (honey, 2))).order
    transfer_mark_received(order=placed, user=operator)
    placed.lines.filter(title="土蜂蜜").update(status=statuses.CANCELLED)
    return {"order": placed, "buyer": buyer, "operator": operator}


def independent_estimate(order):
    """From first principles: every line not cancelled or refunded × each rate its supplier declared."""
    amounts, incomes = {}, {}
    for line in order.lines.all():
        if line.status in (statuses.CANCELLED, statuses.REFUNDED):
            continue
        for link in HouseholdLink.objects.filter(partner_id=line.partner_id):
            amounts[link.mechanism] = amounts.get(link.mechanism, Decimal("0")) + line.line_price_incl_tax
            incomes[link.mechanism] = (
                incomes.get(link.mechanism, Decimal("0")) + line.line_price_incl_tax * link.rate_percent / 100
            )
    total = sum(incomes.values(), Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)
    return (
        {mechanism: amount.quantize(CENT, rounding=ROUND_HALF_UP) for mechanism, amount in amounts.items()},
        {mechanism: income.quantize(CENT, rounding=ROUND_HALF_UP) for mechanism, income in incomes.items()},
        total,
    )


def test_the_figures_match_an_independent_computation_in_one_query(order, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = order_household_income(order=order["order"])
    amounts, incomes, total = independent_estimate(order["order"])
    assert {row["mechanism"]: row["sales"] for row in figures["rows"]} == amounts
    assert {row["mechanism"]: row["income"] for row in figures["rows"]} == incomes
    assert figures["income"] == total
    # 3 × 88.80 = 266.40 of tea (35.5% and 12.25%), 333.33 of salamander (8%), 10.10 of pepper (5%); honey cancelled.
    assert amounts == {"purchase": Decimal("266.40"), "wages": Decimal("599.73"), "dividend": Decimal("10.10")}
    assert incomes == {"purchase": Decimal("94.57"), "wages": Decimal("59.30"), "dividend": Decimal("0.51")}
    assert total == Decimal("154.38")


def test_the_buyer_sees_each_mechanism_and_the_method_beside_the_figure(client, order, django_assert_max_num_queries):
    client.force_login(order["buyer"])
    url = reverse("customer:order", kwargs={"order_number": order["order"].number})
    with django_assert_max_num_queries(55):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "本订单带贫益贫" in html
    assert "收购贫困户农产品" in html and "资产收益分红带贫" in html
    assert "154.38" in html.split('id="order-household-income"')[1].split("</th>")[0]
    assert METHOD in html.split('id="order-household-income-method"')[1].split("</p>")[0]


def test_the_operator_sees_the_same_figure_on_the_dashboard_order_page(client, order, django_assert_max_num_queries):
    client.force_login(order["operator"])
    url = reverse("dashboard:order-detail", kwargs={"number": order["order"].number})
    with django_assert_max_num_queries(80):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "154.38" in html.split('id="order-household-income"')[1].split("</th>")[0]
    assert METHOD in html and "带贫方式" in html


def test_nothing_is_shown_when_the_suppliers_declared_no_linkage(client):
    buyer = UserFactory(role="buyer")
    tea = certified_product(partner=CertifiedPartnerFactory(name="保靖黄金茶厂"), title="保靖黄金茶", price="50.00")
    placed = place(buyer, basket_for(buyer, (tea, 2))).order
    client.force_login(buyer)
    html = client.get(reverse("customer:order", kwargs={"order_number": placed.number})).content.decode()
    assert "保靖黄金茶" in html
    assert "order-household-linkage" not in html and METHOD not in html
    assert order_household_income(order=placed) == {"rows": [], "income": Decimal("0.00")}


def test_another_buyer_and_a_supplier_of_the_order_cannot_see_the_order_or_its_figure(client, order):
    url = reverse("customer:order", kwargs={"order_number": order["order"].number})
    client.force_login(UserFactory(role="buyer"))
    response = client.get(url)
    assert response.status_code == 404 and b"154.38" not in response.content
    # The whole order (every supplier's amounts) is the operator's; supplier staff see their own lines elsewhere.
    staff = UserFactory(role="supplier")
    Partner.objects.get(name="桑植白茶合作社").users.add(staff)
    client.force_login(staff)
    response = client.get(reverse("dashboard:order-detail", kwargs={"number": order["order"].number}))
    assert response.status_code == 403 and b"154.38" not in response.content
