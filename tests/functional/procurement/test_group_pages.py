"""Group purchase pages: a unit buys vouchers and sets an order's recipients; its staff redeem; others are kept out."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from oscar.test.factories import OrderFactory, OrderLineFactory

from accounts import roles
from procurement import services
from procurement.models import GiftVoucher, VoucherBatch
from shop.order import recipients
from shop.order.models import GroupDelivery
from tests.factories import UnitFactory, UserFactory, certified_product
from tests.integration.shop.support import recipients_xlsx

pytestmark = pytest.mark.django_db

VOUCHERS = reverse("procurement-dashboard:voucher-list")
REDEEM = reverse("procurement:voucher-redeem")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unit():
    return UnitFactory(name="张家界市财政局")


@pytest.fixture
def member(unit):
    user = UserFactory(role=roles.UNIT)
    unit.members.add(user)
    return user


@pytest.fixture
def outsider():
    user = UserFactory(role=roles.UNIT)
    UnitFactory(name="张家界市人民医院").members.add(user)
    return user


def test_a_unit_buys_vouchers_and_another_unit_cannot_see_them(unit, member, outsider):
    response = signed_in(member).post(VOUCHERS, {"unit": unit.pk, "count": 5, "value": "150.00", "note": "端午慰问"})
    batch = VoucherBatch.objects.get()
    assert response.status_code == 302
    page = signed_in(member).get(reverse("procurement-dashboard:voucher-detail", args=[batch.pk])).content.decode()
    assert all(voucher.display_code in page for voucher in batch.vouchers.all())
    assert signed_in(outsider).get(reverse("procurement-dashboard:voucher-detail", args=[batch.pk])).status_code == 404
    assert "端午慰问" not in signed_in(outsider).get(VOUCHERS).content.decode()
    assert signed_in(UserFactory(role=roles.BUYER)).get(VOUCHERS).status_code == 403


def test_staff_redeem_a_code_once_and_an_outsider_cannot(unit, member):
    batch = services.voucher_batch_buy(unit=unit, user=member, count=1, value=Decimal("100.00"))
    code = batch.vouchers.get().code
    tea = certified_product(title="张家界莓茶")
    assert Client().get(REDEEM).status_code == 302
    stranger = signed_in(UserFactory())
    refused = stranger.post(REDEEM, {"code": code, "product": tea.pk})
    assert "贵单位没有这张提货券" in refused.content.decode()
    assert GiftVoucher.objects.get().redeemed_at is None
    staff = UserFactory()
    unit.members.add(staff)
    printed = GiftVoucher.objects.get().display_code
    assert signed_in(staff).post(REDEEM, {"code": printed.lower(), "product": tea.pk}).status_code == 302
    again = signed_in(staff).post(REDEEM, {"code": code, "product": tea.pk})
    assert "该提货券已使用" in again.content.decode()


def test_an_orders_recipients_are_uploaded_by_its_unit_only(unit, member, outsider):
    order = OrderFactory(unit=unit)
    tea = certified_product(title="桑植白茶礼盒")
    stockrecord = tea.stockrecords.first()
    OrderLineFactory(
        order=order, product=tea, title=tea.title, stockrecord=stockrecord, partner=stockrecord.partner, quantity=2
    )
    url = reverse("procurement-dashboard:order-recipients", args=[order.number])

    def upload(*rows):
        return {"file": SimpleUploadedFile("名单.xlsx", recipients_xlsx(*rows))}

    assert signed_in(outsider).post(url, upload(("", "甲", "13807440001", "某地", 2))).status_code == 404
    bad = signed_in(member).post(url, upload(("", "向老师", "13807440001", "澧源镇", 1)))
    assert "订单数量为 2，收件人合计 1" in bad.content.decode()
    assert not GroupDelivery.objects.exists()
    good = signed_in(member).post(
        url, upload(("", "向老师", "13807440001", "澧源镇", 1), ("", "田老师", "13807440002", "瑞塔铺镇", 1))
    )
    assert good.status_code == 302
    assert list(GroupDelivery.objects.get().recipients.values_list("name", flat=True)) == ["向老师", "田老师"]


def test_the_units_orders_say_how_many_people_each_goes_to(unit, member):
    order = OrderFactory(unit=unit)
    tea, rice = certified_product(title="桑植白茶礼盒"), certified_product(title="桑植富硒米")
    for product in (tea, rice):
        stockrecord = product.stockrecords.first()
        OrderLineFactory(
            order=order,
            product=product,
            title=product.title,
            stockrecord=stockrecord,
            partner=stockrecord.partner,
            quantity=2,
        )
    OrderFactory(unit=unit)  # placed for one address
    rows = [
        {"row": 2, "title": "桑植白茶礼盒", "name": "向老师", "phone": "13807440001", "address": "甲地", "quantity": 1},
        {"row": 3, "title": "桑植富硒米", "name": "向老师", "phone": "13807440001", "address": "甲地", "quantity": 1},
        {"row": 4, "title": "桑植白茶礼盒", "name": "田老师", "phone": "13807440002", "address": "乙地", "quantity": 1},
        {"row": 5, "title": "桑植富硒米", "name": "田老师", "phone": "13807440002", "address": "乙地", "quantity": 1},
    ]
    recipients.group_delivery_create(order=order, user=member, rows=recipients.rows_from_session(rows))
    listing = signed_in(member).get(VOUCHERS).content.decode().split('id="unit-orders"')[1]
    assert "2 位收件人" in listing and "一个地址" in listing


def test_guessing_voucher_codes_stops_after_a_handful_of_wrong_ones(unit, member, settings):
    """Codes carry 60 random bits; an account that tries code after code is stopped for the hour even before it
    reaches a real one, while others redeem as usual."""
    settings.VOUCHER_REDEEM_FAILURES_PER_HOUR = 3
    batch = services.voucher_batch_buy(unit=unit, user=member, count=2, value=Decimal("100.00"))
    first, second = (voucher.code for voucher in batch.vouchers.order_by("pk"))
    tea = certified_product(title="张家界莓茶")
    guesser = UserFactory()
    unit.members.add(guesser)
    client = signed_in(guesser)
    for guess in ("AAAAAAAAAAAA", "BBBBBBBBBBBB", "CCCCCCCCCCCC"):
        wrong = client.post(REDEEM, {"code": guess, "product": tea.pk})
        assert wrong.status_code == 400 and "贵单位没有这张提货券" in wrong.content.decode()
    stopped = client.post(REDEEM, {"code": first, "product": tea.pk})
    assert stopped.status_code == 429 and "输错提货券码次数过多" in stopped.content.decode()
    assert GiftVoucher.objects.get(code=first).redeemed_at is None
    colleague = UserFactory()
    unit.members.add(colleague)
    assert signed_in(colleague).post(REDEEM, {"code": second, "product": tea.pk}).status_code == 302
    assert GiftVoucher.objects.get(code=second).redeemed_at is not None
