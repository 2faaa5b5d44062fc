"""Group purchases for staff: one unit order to many addresses, and single-use gift vouchers; each counted once."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone
from oscar.test.factories import OrderFactory, OrderLineFactory

from accounts import roles
from organisations.models import Unit
from procurement import selectors, services
from procurement.errors import VoucherRefused
from procurement.models import Canteen, GiftVoucher
from reports.models import PurchaseRecord
from shop.order import recipients
from shop.order.models import GroupDelivery
from shop.order.recipients import RecipientsError, RecipientsRejected
from shop.order.signals import unit_order_paid
from tests.factories import ProductFactory, UnitFactory, UserFactory, certified_product, region
from tests.integration.shop.support import recipients_xlsx


@pytest.fixture
def unit():
    return UnitFactory(name="桑植县教育局", level=Unit.Level.COUNTY, region=region("430822000000", "桑植县"))


@pytest.fixture
def member(unit):
    user = UserFactory(role=roles.UNIT)
    unit.members.add(user)
    return user


def order_of(unit, *items):
    order = OrderFactory(unit=unit)
    for product, quantity, price in items:
        stockrecord = product.stockrecords.first()
        OrderLineFactory(
            order=order,
            product=product,
            title=product.title,
            stockrecord=stockrecord,
            partner=stockrecord.partner,
            quantity=quantity,
            unit_price_incl_tax=Decimal(price),
            line_price_incl_tax=Decimal(price) * quantity,
        )
    return order


@pytest.mark.django_db
def test_an_order_split_over_many_addresses_is_saved_and_counted_once(unit, member):
    tea = certified_product(title="桑植白茶礼盒", price="168.00")
    rice = certified_product(title="桑植富硒米", price="59.00")
    order = order_of(unit, (tea, 10, "168.00"), (rice, 4, "59.00"))
    rows = [
        ("桑植白茶礼盒", "向老师", "13807440001", "桑植县澧源镇城东路1号", 6),
        ("桑植白茶礼盒", "田老师", "13807440002", "桑植县瑞塔铺镇中学", 4),
        ("桑植富硒米", "谷老师", 13807440003, "桑植县官地坪镇中心小学", 4),
    ]
    delivery = recipients.group_delivery_upload(
        order=order, user=member, data=recipients_xlsx(*rows), file_name="名单.xlsx"
    )
    assert [(r.row, r.name, r.quantity, r.line.title) for r in delivery.recipients.all()] == [
        (2, "向老师", 6, "桑植白茶礼盒"),
        (3, "田老师", 4, "桑植白茶礼盒"),
        (4, "谷老师", 4, "桑植富硒米"),
    ]
    filing = services.filing_submit(
        unit=unit,
        year=timezone.localdate().year,
        user=member,
        canteen=Canteen.OWN,
        canteen_budget="100000",
        share_percent="10",
    )
    unit_order_paid.send(sender=type(order), order=order)
    (row,) = selectors.execution_of([filing], year=filing.year)
    assert row.spent == Decimal("1916.00")  # 10 × 168 + 4 × 59, once, whatever the number of addresses
    assert PurchaseRecord.objects.count() == 2


@pytest.mark.django_db
def test_bad_recipient_rows_are_listed_in_chinese_and_nothing_is_saved(unit, member):
    tea = certified_product(title="桑植白茶礼盒", price="168.00")
    order = order_of(unit, (tea, 10, "168.00"))
    with pytest.raises(RecipientsRejected) as rejected:
        recipients.group_delivery_upload(
            order=order,
            user=member,
            data=recipients_xlsx(("", "向老师", "1380744", "桑植县澧源镇", 6), ("", "", "13807440002", "", 0)),
        )
    assert rejected.value.row_errors == [
        "第2行：手机号须为1开头的11位数字。",
        "第3行：缺少收件人姓名；缺少收货地址；数量须为不小于1的整数。",
    ]
    with pytest.raises(RecipientsRejected) as rejected:
        recipients.group_delivery_upload(
            order=order, user=member, data=recipients_xlsx(("", "向老师", "13807440001", "澧源镇", 6))
        )
    assert rejected.value.row_errors == ["桑植白茶礼盒：订单数量为 10，收件人合计 6。"]
    assert not GroupDelivery.objects.exists()


@pytest.mark.django_db
def test_another_units_member_cannot_set_the_recipients(unit):
    order = order_of(unit, (certified_product(title="莓茶"), 1, "50.00"))
    outsider = UserFactory(role=roles.UNIT)
    UnitFactory().members.add(outsider)
    with pytest.raises(RecipientsError):
        recipients.group_delivery_upload(
            order=order, user=outsider, data=recipients_xlsx(("", "甲", "13807440001", "某地", 1))
        )
    assert not GroupDelivery.objects.exists()


@pytest.mark.django_db
def test_a_voucher_is_redeemed_once_by_the_units_staff_for_a_certified_product_and_counts_once(unit, member):
    batch = services.voucher_batch_buy(unit=unit, user=member, count=3, value=Decimal("200.00"), note="教师节")
    codes = list(batch.vouchers.values_list("code", flat=True))
    assert len(set(codes)) == 3 and all(len(code) == 12 for code in codes)
    staff = UserFactory()
    unit.members.add(staff)
    tea = certified_product(title="桑植白茶礼盒", price="168.00")
    voucher = services.voucher_redeem(code=codes[0].lower(), user=staff, product=tea)
    assert voucher.record.amount == Decimal("200.00") and voucher.record.unit == unit
    with pytest.raises(VoucherRefused) as refused:
        services.voucher_redeem(code=codes[0], user=staff, product=tea)
    assert "已使用" in refused.value.user_message
    with pytest.raises(VoucherRefused):
        services.voucher_redeem(code=codes[1], user=staff, product=ProductFactory(title="未认定的商品"))
    outsider = UserFactory()
    UnitFactory().members.add(outsider)
    with pytest.raises(VoucherRefused):
        services.voucher_redeem(code=codes[1], user=outsider, product=tea)
    filing = services.filing_submit(
        unit=unit,
        year=timezone.localdate().year,
        user=member,
        canteen=Canteen.OWN,
        canteen_budget="100000",
        share_percent="10",
    )
    (row,) = selectors.execution_of([filing], year=filing.year)
    assert row.spent == Decimal("200.00")
    assert GiftVoucher.objects.filter(redeemed_at__isnull=False).count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_staff_racing_for_one_voucher_redeem_it_exactly_once():
    unit = UnitFactory(name="张家界市财政局")
    buyer = UserFactory(role=roles.UNIT)
    staff = [UserFactory() for _ in range(10)]
    unit.members.add(buyer, *staff)
    code = services.voucher_batch_buy(unit=unit, user=buyer, count=1, value=Decimal("100.00")).vouchers.get().code
    tea = certified_product(title="张家界莓茶")
    barrier = threading.Barrier(len(staff))
    redeemed, refused, errors = [], [], []

    def redeem(person):
        try:
            barrier.wait()
            redeemed.append(services.voucher_redeem(code=code, user=person, product=tea).pk)
        except VoucherRefused as error:
            refused.append(str(error.user_message))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # Threads here stand for staff redeeming the same voucher code in simultaneous requests: each has its own database connection, so the
    # row locks are really contended (the application itself runs no threads).
    threads = [threading.Thread(target=redeem, args=(person,)) for person in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(redeemed) == 1 and len(refused) == 9
    assert PurchaseRecord.objects.filter(unit=unit).count() == 1
    assert date.today() >= GiftVoucher.objects.get().redeemed_at.date()
