import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order.services import transfer_mark_received
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import basket_for, place

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketplace():
    """One paid order with a line from supplier A and one from supplier B, each with its own staff."""
    buyer, staff = UserFactory(), UserFactory(role="operator", is_staff=True)
    a = CertifiedPartnerFactory(name="桑植白茶合作社")
    b = CertifiedPartnerFactory(name="凤凰腊肉厂")
    staff_a, staff_b = UserFactory(role="supplier"), UserFactory(role="supplier")
    a.users.add(staff_a)
    b.users.add(staff_b)
    tea = certified_product(partner=a, title="桑植白茶 明前")
    bacon = certified_product(partner=b, title="湘西腊肉 五花")
    order = place(buyer, basket_for(buyer, (tea, 1), (bacon, 2))).order
    transfer_mark_received(order=order, user=staff)
    return {
        "order": order,
        "buyer": buyer,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "shipment_a": order.shipments.get(partner=a),
        "shipment_b": order.shipments.get(partner=b),
    }


def test_a_supplier_sees_only_its_own_lines(client, marketplace):
    client.force_login(marketplace["staff_a"])
    listing = client.get(reverse("dashboard:order-fulfilment-list")).content.decode()
    assert "桑植白茶合作社" in listing and "凤凰腊肉厂" not in listing
    detail = client.get(reverse("dashboard:order-fulfilment-detail", kwargs={"pk": marketplace["shipment_a"].pk}))
    assert "桑植白茶 明前" in detail.content.decode()
    assert "湘西腊肉" not in detail.content.decode()


def test_a_supplier_cannot_open_or_ship_another_suppliers_lines_by_changing_the_id(client, marketplace):
    client.force_login(marketplace["staff_a"])
    other = marketplace["shipment_b"].pk
    assert client.get(reverse("dashboard:order-fulfilment-detail", kwargs={"pk": other})).status_code == 404
    response = client.post(
        reverse("dashboard:order-fulfilment-ship", kwargs={"pk": other}),
        {"carrier": "顺丰速运", "tracking_number": "SF0000000001"},
    )
    assert response.status_code == 404
    assert client.post(reverse("dashboard:order-fulfilment-deliver", kwargs={"pk": other})).status_code == 404
    marketplace["shipment_b"].refresh_from_db()
    assert marketplace["shipment_b"].shipped_at is None


def test_a_supplier_cannot_read_whole_orders_in_oscars_order_dashboard(client, marketplace):
    client.force_login(marketplace["staff_a"])
    number = marketplace["order"].number
    for url in (reverse("dashboard:order-list"), reverse("dashboard:order-detail", kwargs={"number": number})):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "湘西腊肉" not in response.content.decode()


def test_a_supplier_ships_its_lines_and_the_buyer_sees_the_tracking_number(client, marketplace):
    client.force_login(marketplace["staff_a"])
    pk = marketplace["shipment_a"].pk
    response = client.post(
        reverse("dashboard:order-fulfilment-ship", kwargs={"pk": pk}),
        {"carrier": "顺丰速运", "tracking_number": "SF1122334455"},
    )
    assert response.status_code == 302
    marketplace["order"].refresh_from_db()
    assert marketplace["order"].status == "partly_shipped"
    client.force_login(marketplace["buyer"])
    page = client.get(reverse("customer:order", kwargs={"order_number": marketplace["order"].number}))
    body = page.content.decode()
    assert "SF1122334455" in body and "顺丰速运" in body
    assert "部分发货" in body


def test_a_blank_tracking_number_is_refused_in_chinese_and_nothing_changes(client, marketplace):
    client.force_login(marketplace["staff_a"])
    pk = marketplace["shipment_a"].pk
    response = client.post(reverse("dashboard:order-fulfilment-ship", kwargs={"pk": pk}), {"carrier": "顺丰速运"})
    assert response.status_code == 200
    assert response.context["form"].errors["tracking_number"] == ["请填写快递单号。"]
    marketplace["shipment_a"].refresh_from_db()
    assert marketplace["shipment_a"].shipped_at is None


def test_a_buyer_cannot_see_someone_elses_order(client, marketplace):
    number = marketplace["order"].number
    client.force_login(UserFactory())
    assert client.get(reverse("customer:order", kwargs={"order_number": number})).status_code == 404


def test_an_anonymous_visitor_cannot_see_an_order_by_its_number(client, marketplace):
    order = marketplace["order"]
    response = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert response.status_code == 302 and "login" in response.url
    forged = client.get(
        reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": "0" * 40}), follow=True
    )
    assert "桑植白茶 明前" not in forged.content.decode()
    assert order.shipping_address.line1 not in forged.content.decode()
    assert client.get(reverse("checkout:thank-you")).status_code == 302


def test_non_staff_cannot_mark_a_transfer_received_from_the_dashboard(client):
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (certified_product(), 1))).order
    url = reverse("dashboard:order-transfer-received", kwargs={"number": order.number})
    for outsider in (buyer, UserFactory(role="supplier"), UserFactory(role="county")):
        client.force_login(outsider)
        assert client.post(url).status_code in (302, 403)
    order.refresh_from_db()
    assert order.paid_at is None


def test_staff_mark_a_transfer_received_from_the_payments_page(client):
    buyer = UserFactory()
    order = place(buyer, basket_for(buyer, (certified_product(), 1))).order
    client.force_login(UserFactory(role="operator", is_staff=True))
    page = client.get(reverse("dashboard:order-payments")).content.decode()
    assert order.transfer_reference in page
    client.post(reverse("dashboard:order-transfer-received", kwargs={"number": order.number}))
    order.refresh_from_db()
    assert order.status == "paid"


def test_staff_read_order_statuses_in_chinese_in_oscars_order_dashboard(client, marketplace):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    number = marketplace["order"].number
    listing = client.get(reverse("dashboard:order-list")).content.decode()
    detail = client.get(reverse("dashboard:order-detail", kwargs={"number": number})).content.decode()
    assert "已付款" in listing and "已付款" in detail
    assert "待发货" in detail  # the lines, not yet shipped
