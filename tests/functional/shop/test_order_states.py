"""The buyer's orders by state: tabs with counts, a timeline per order, cancelling, receipt, automatic receipt."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order.services import (
    order_confirm_receipt,
    orders_auto_receive,
    shipment_ship,
    transfer_mark_received,
)
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product
from tests.integration.shop.support import (
    STRIPE_SETTINGS,
    FakeGateway,
    basket_for,
    deliver,
    event,
    place,
    session_completed,
)

Order = get_model("order", "Order")
Shipment = get_model("order", "Shipment")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    buyer, operator = UserFactory(), UserFactory(role="operator", is_staff=True)
    partner = CertifiedPartnerFactory(name="桑植白茶合作社")
    staff = UserFactory(role="supplier")
    partner.users.add(staff)
    tea = certified_product(partner=partner, title="桑植白茶 明前", price="88.00", stock=10)
    return {"buyer": buyer, "operator": operator, "staff": staff, "tea": tea}


def paid(shop, quantity=1):
    order = place(shop["buyer"], basket_for(shop["buyer"], (shop["tea"], quantity))).order
    transfer_mark_received(order=order, user=shop["operator"])
    order.refresh_from_db()
    return order


def shipped(shop, order, tracking="SF1234567890"):
    shipment_ship(shipment=order.shipments.get(), user=shop["staff"], carrier="顺丰速运", tracking_number=tracking)
    order.refresh_from_db()
    return order


def test_the_order_list_shows_tabs_with_counts_and_filters_by_state(client, shop, django_assert_max_num_queries):
    buyer = shop["buyer"]
    place(buyer, basket_for(buyer, (shop["tea"], 1)))
    to_ship = paid(shop)
    to_receive = shipped(shop, paid(shop), tracking="SF000000002")
    client.force_login(buyer)
    url = reverse("customer:order-list")
    client.get(url)
    # The page's own share is three queries (the page count, the tab counts, the page of orders); the rest is the
    # site's header (session, user, basket, menu).
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    for label in ("全部", "待付款", "待发货", "待收货", "已完成", "退款售后"):
        assert label in html
    assert html.count('class="list-group-item list-group-item-action order-card"') == 3
    assert "桑植白茶 明前" in html and "共 1 件" in html and " item" not in html
    tab = client.get(url, {"tab": "to_ship"}).content.decode()
    assert to_ship.number in tab and to_receive.number not in tab
    assert "待发货" in tab
    tab = client.get(url, {"tab": "to_receive"}).content.decode()
    assert to_receive.number in tab and to_ship.number not in tab
    assert client.get(url, {"tab": "completed"}).content.decode().count("order-card") == 0


def test_the_list_takes_the_same_number_of_queries_for_many_orders(client, shop):
    buyer = shop["buyer"]
    client.force_login(buyer)
    place(buyer, basket_for(buyer, (shop["tea"], 1)))
    client.get(reverse("customer:order-list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("customer:order-list"))
    for _ in range(4):
        place(buyer, basket_for(buyer, (shop["tea"], 1)))
    client.get(reverse("customer:order-list"))
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("customer:order-list"))
    assert len(five.captured_queries) == len(one.captured_queries)


def test_another_buyers_orders_are_neither_listed_nor_counted(client, shop):
    order = paid(shop)
    client.force_login(UserFactory())
    html = client.get(reverse("customer:order-list")).content.decode()
    assert order.number not in html and "tab-count" not in html


def test_the_order_page_shows_a_timeline_with_carrier_and_tracking_link(client, shop):
    order = shipped(shop, paid(shop))
    client.force_login(shop["buyer"])
    html = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert 'id="order-timeline"' in html
    for text in (
        "订单已提交",
        "已付款",
        "桑植白茶合作社 已发货",
        "顺丰速运",
        "https://www.kuaidi100.com/chaxun?nu=SF1234567890",
    ):
        assert text in html
    assert 'class="order-status">待收货</strong>' in html
    assert 'id="confirm-receipt"' in html and 'id="cancel-order"' not in html


def test_the_buyer_cancels_an_unshipped_paid_order_and_the_stock_comes_back(client, shop):
    stock = StockRecord.objects.get(product=shop["tea"])
    order = paid(shop, quantity=3)
    stock.refresh_from_db()
    assert stock.num_allocated == 3
    client.force_login(shop["buyer"])
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert 'id="cancel-order"' in page
    response = client.post(
        reverse("shop:order-cancel", kwargs={"order_number": order.number}), {"reason": "买错了"}, follow=True
    )
    html = response.content.decode()
    order.refresh_from_db()
    stock.refresh_from_db()
    assert order.status == "cancelled"
    assert stock.num_allocated == 0 and stock.num_in_stock == 10
    assert set(order.lines.values_list("status", flat=True)) == {"cancelled"}
    assert "订单已取消" in html and "银行转账" in html
    assert order.status_changes.filter(new_status="cancelled").exists()
    assert order.notes.filter(user=shop["buyer"], message__contains="买错了").exists()


def test_an_unpaid_order_is_cancelled_without_a_refund(client, shop):
    order = place(shop["buyer"], basket_for(shop["buyer"], (shop["tea"], 1))).order
    client.force_login(shop["buyer"])
    client.post(reverse("shop:order-cancel", kwargs={"order_number": order.number}))
    order.refresh_from_db()
    assert order.status == "cancelled" and not order.refunds.exists()


def test_an_order_paid_online_is_refunded_when_cancelled(client, shop, settings):
    for key, value in STRIPE_SETTINGS.items():
        setattr(settings, key, value)
    FakeGateway.reset()
    order = place(
        shop["buyer"], basket_for(shop["buyer"], (shop["tea"], 2)), payment_method="stripe", gateway=FakeGateway()
    ).order
    deliver(client, event("checkout.session.completed", session_completed(order, payment_intent="pi_test_cancel")))
    client.force_login(shop["buyer"])
    html = client.post(reverse("shop:order-cancel", kwargs={"order_number": order.number}), follow=True)
    order.refresh_from_db()
    assert order.status == "cancelled"
    refund = order.refunds.get()
    assert refund.amount == order.total_incl_tax and refund.requested_by == shop["buyer"]
    assert FakeGateway.refunds[-1][:2] == ("pi_test_cancel", order.total_incl_tax)
    assert "原路退回" in html.content.decode()


def test_cancelling_is_refused_in_chinese_once_a_parcel_has_shipped(client, shop):
    order = shipped(shop, paid(shop))
    client.force_login(shop["buyer"])
    html = client.post(reverse("shop:order-cancel", kwargs={"order_number": order.number}), follow=True)
    order.refresh_from_db()
    assert order.status == "shipped"
    assert "不能再取消" in html.content.decode()


def test_another_buyer_can_neither_cancel_nor_confirm_receipt(client, shop):
    order = shipped(shop, paid(shop))
    unshipped = paid(shop)
    client.force_login(UserFactory())
    assert client.post(reverse("shop:order-cancel", kwargs={"order_number": unshipped.number})).status_code == 404
    assert client.post(reverse("shop:order-receive", kwargs={"order_number": order.number})).status_code == 404
    order.refresh_from_db()
    unshipped.refresh_from_db()
    assert order.status == "shipped" and unshipped.status == "paid"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, shop):
    order = paid(shop)
    response = client.post(reverse("shop:order-cancel", kwargs={"order_number": order.number}))
    assert response.status_code == 302 and "login" in response.url
    order.refresh_from_db()
    assert order.status == "paid"


def test_the_buyer_confirms_receipt_and_the_order_is_completed(client, shop):
    order = shipped(shop, paid(shop))
    client.force_login(shop["buyer"])
    html = client.post(reverse("shop:order-receive", kwargs={"order_number": order.number}), follow=True)
    order.refresh_from_db()
    assert order.status == "received"
    assert order.shipments.get().delivered_at is not None
    assert set(order.lines.values_list("status", flat=True)) == {"delivered"}
    body = html.content.decode()
    assert "已确认收货" in body and 'class="order-status">已完成</strong>' in body
    completed = client.get(reverse("customer:order-list"), {"tab": "completed"}).content.decode()
    assert order.number in completed


def test_receipt_cannot_be_confirmed_before_shipping(client, shop):
    order = paid(shop)
    client.force_login(shop["buyer"])
    html = client.post(reverse("shop:order-receive", kwargs={"order_number": order.number}), follow=True)
    order.refresh_from_db()
    assert order.status == "paid" and "发出后才能确认收货" in html.content.decode()


def test_orders_are_received_automatically_after_the_configured_days_once(shop, settings):
    settings.ORDER_AUTO_RECEIPT_DAYS = 7
    old, recent = shipped(shop, paid(shop)), shipped(shop, paid(shop), tracking="SF2")
    Shipment.objects.filter(order=old).update(shipped_at=timezone.now() - timedelta(days=8))
    assert orders_auto_receive() == 1
    assert orders_auto_receive() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == "received" and recent.status == "shipped"
    assert old.notes.filter(message__contains="7").exists()


def test_automatic_receipt_runs_from_the_scheduler(settings):
    assert any(path == "shop.order.tasks.orders_auto_receive_run" for path, _when in settings.SCHEDULED_TASKS)


def test_confirming_twice_changes_nothing(shop):
    order = shipped(shop, paid(shop))
    order_confirm_receipt(order=order, user=shop["buyer"])
    order_confirm_receipt(order=order, user=shop["buyer"])
    assert order.status_changes.filter(new_status="received").count() == 1
