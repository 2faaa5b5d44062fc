"""A unit purchaser sends the unit's order to many addresses at checkout: the recipients file is read row by row at the
payment step, the split is shown before the order is placed, and the order is written with its recipients or not at
all. Nobody else is offered the choice or sees the recipients."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from oscar.core.loading import get_model

from accounts import roles
from procurement import selectors, services
from procurement.models import Canteen
from reports.models import PurchaseRecord
from shop.order.services import order_mark_paid, shipment_deliver, shipment_ship
from tests.factories import UnitFactory, UserFactory, certified_product
from tests.integration.shop.support import ADDRESS, recipients_xlsx

Order = get_model("order", "Order")
GroupDelivery = get_model("order", "GroupDelivery")
Recipient = get_model("order", "Recipient")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db

PAYMENT = reverse("checkout:payment-method")
PREVIEW = reverse("checkout:preview")
TEMPLATE = reverse("checkout:recipients-template")
OPTION = "多地址配送（上传收件人表）"


def workbook(*rows, name="职工名单.xlsx"):
    return SimpleUploadedFile(name, recipients_xlsx(*rows))


@pytest.fixture
def unit():
    return UnitFactory(name="张家界市教育局", tax_number="11430800MB1234567X")


@pytest.fixture
def purchaser(client, unit):
    user = UserFactory(email="caigou@example.cn", role=roles.UNIT)
    unit.members.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def tea():
    return certified_product(title="桑植白茶礼盒", price="168.00")


@pytest.fixture
def rice():
    return certified_product(title="桑植富硒米", price="59.00")


def add(client, product, quantity):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def to_payment(client):
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    client.get(reverse("checkout:shipping-method"))
    return client.get(PAYMENT)


def place_unit_order(client, unit, product, quantity):
    """Put `quantity` of `product` in the basket and place it as `unit`'s order, delivered to one address."""
    add(client, product, quantity)
    to_payment(client)
    client.post(PAYMENT, for_unit(unit))
    client.post(PREVIEW, {"action": "place_order"})


def for_unit(unit, **extra):
    return {
        "method": "transfer",
        "unit": unit.pk,
        "invoice_title": unit.name,
        "invoice_tax_number": unit.tax_number,
        **extra,
    }


GOOD_ROWS = [
    ("桑植白茶礼盒", "向老师", "13807440001", "桑植县澧源镇城东路1号", 6),
    ("桑植白茶礼盒", "田老师", "13807440002", "桑植县瑞塔铺镇中学", 4),
    ("桑植富硒米", "谷老师", 13807440003, "桑植县官地坪镇中心小学", 4),
]


def test_a_unit_purchaser_uploads_recipients_sees_the_split_and_places_the_order_with_them(
    client, unit, purchaser, tea, rice
):
    add(client, tea, 10)
    add(client, rice, 4)
    page = to_payment(client).content.decode()
    assert OPTION in page and TEMPLATE in page
    template = load_workbook(io.BytesIO(client.get(TEMPLATE).content)).active
    assert [cell.value for cell in template[1]] == ["商品", "收件人", "手机号", "收货地址", "数量", "商品编码"]

    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*GOOD_ROWS)))
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(PREVIEW)
    split = preview.context["group_delivery"]
    assert split["errors"] == []
    assert [(s["title"], s["ordered"], s["split"], s["recipients"]) for s in split["summary"]] == [
        ("桑植白茶礼盒", 10, 10, 2),
        ("桑植富硒米", 4, 4, 1),
    ]
    body = preview.content.decode()
    assert "多地址配送" in body and "职工名单.xlsx" in body
    assert all(name in body for name in ("向老师", "田老师", "谷老师", "桑植县瑞塔铺镇中学"))

    placed = client.post(PREVIEW, {"action": "place_order"})
    assert placed.url == reverse("checkout:thank-you")
    order = Order.objects.get(user=purchaser)
    delivery = GroupDelivery.objects.get(order=order)
    assert delivery.file_name == "职工名单.xlsx" and delivery.uploaded_by == purchaser
    assert [(r.row, r.name, r.phone, r.line.title, r.quantity) for r in delivery.recipients.all()] == [
        (2, "向老师", "13807440001", "桑植白茶礼盒", 6),
        (3, "田老师", "13807440002", "桑植白茶礼盒", 4),
        (4, "谷老师", "13807440003", "桑植富硒米", 4),
    ]

    # Counted once toward the unit's share, however many addresses it goes to.
    filing = services.filing_submit(
        unit=unit,
        year=timezone.localdate().year,
        user=purchaser,
        canteen=Canteen.OWN,
        canteen_budget="100000",
        share_percent="10",
    )
    order_mark_paid(order=order, amount=order.total_incl_tax)
    (row,) = selectors.execution_of([filing], year=filing.year)
    assert row.spent == Decimal("1916.00")  # 10 × 168 + 4 × 59, without shipping
    assert PurchaseRecord.objects.filter(unit=unit).count() == 2


def test_bad_rows_are_listed_in_chinese_and_nothing_is_kept(client, unit, purchaser, tea):
    add(client, tea, 10)
    to_payment(client)
    response = client.post(
        PAYMENT,
        for_unit(
            unit,
            delivery="many",
            recipients_file=workbook(
                ("", "向老师", "1380744", "桑植县澧源镇", 6),
                (None, None, None, None, None),
                ("莓茶", "", "13807440002", "", 0),
            ),
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].recipient_errors == [
        "第2行：手机号须为1开头的11位数字。",
        "第4行：订单中没有该商品；缺少收件人姓名；缺少收货地址；数量须为不小于1的整数。",
    ]
    body = response.content.decode()
    assert "第4行" in body and "整份表格均未采用" in body
    assert "delivery" not in client.session.get("checkout_data", {})  # nothing kept for the next step
    assert not Order.objects.exists() and not GroupDelivery.objects.exists()


def test_quantities_that_do_not_add_up_to_the_basket_are_refused(client, unit, purchaser, tea):
    add(client, tea, 10)
    to_payment(client)
    response = client.post(
        PAYMENT,
        for_unit(unit, delivery="many", recipients_file=workbook(("", "向老师", "13807440001", "澧源镇", 6))),
    )
    assert response.status_code == 200
    assert response.context["form"].recipient_errors == ["桑植白茶礼盒：订单数量为 10，收件人合计 6。"]


def test_a_file_that_is_not_a_workbook_is_refused(client, unit, purchaser, tea):
    add(client, tea, 1)
    to_payment(client)
    fake = SimpleUploadedFile("名单.xlsx", b"name,phone\n")
    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=fake))
    assert response.status_code == 200
    assert response.context["form"].recipient_errors
    assert "收件人表" in response.context["form"].errors["recipients_file"][0]


def test_many_addresses_need_the_unit_and_a_file(client, unit, purchaser, tea):
    add(client, tea, 1)
    to_payment(client)
    personal = client.post(PAYMENT, {"method": "transfer", "delivery": "many"})
    assert "为本单位采购" in personal.context["form"].errors["delivery"][0]
    no_file = client.post(PAYMENT, for_unit(unit, delivery="many"))
    assert no_file.context["form"].errors["recipients_file"] == ["请上传收件人表。"]


def test_a_basket_changed_after_the_upload_is_not_placed_and_stays_the_buyers(client, unit, purchaser, tea):
    add(client, tea, 2)
    to_payment(client)
    rows = [("", "向老师", "13807440001", "澧源镇", 1), ("", "田老师", "13807440002", "瑞塔铺镇", 1)]
    assert client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows))).status_code == 302
    add(client, tea, 1)  # now 3 in the basket, 2 in the recipients
    preview = client.get(PREVIEW)
    assert preview.context["group_delivery"]["errors"] == ["桑植白茶礼盒：订单数量为 3，收件人合计 2。"]
    assert "重新上传" in preview.content.decode()
    refused = client.post(PREVIEW, {"action": "place_order"})
    assert refused.status_code == 200
    assert "订单数量为 3，收件人合计 2" in refused.content.decode()
    assert not Order.objects.exists() and not GroupDelivery.objects.exists()
    assert Basket.objects.get(owner=purchaser).status == "Open"


def test_the_order_and_its_recipients_are_written_together_or_not_at_all(client, unit, purchaser, tea, monkeypatch):
    add(client, tea, 2)
    to_payment(client)
    rows = [("", "向老师", "13807440001", "澧源镇", 2)]
    assert client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows))).status_code == 302
    stock = StockRecord.objects.get(product=tea)
    allocated = stock.num_allocated

    def fail(*args, **kwargs):
        raise IntegrityError("the recipients could not be written")

    monkeypatch.setattr(Recipient.objects, "bulk_create", fail)
    response = client.post(PREVIEW, {"action": "place_order"})
    assert response.status_code == 200
    assert "订单未能提交" in response.content.decode()
    assert not Order.objects.exists() and not GroupDelivery.objects.exists()
    stock.refresh_from_db()
    assert stock.num_allocated == allocated
    assert Basket.objects.get(owner=purchaser).status == "Open"

    monkeypatch.undo()
    placed = client.post(PREVIEW, {"action": "place_order"})
    assert placed.url == reverse("checkout:thank-you")
    assert Recipient.objects.get().delivery.order == Order.objects.get()


def test_choosing_one_address_again_drops_the_recipients(client, unit, purchaser, tea):
    add(client, tea, 1)
    to_payment(client)
    rows = [("", "向老师", "13807440001", "澧源镇", 1)]
    client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    assert "职工名单.xlsx：1 位收件人" in client.get(PAYMENT).content.decode()
    assert client.post(PAYMENT, for_unit(unit, delivery="one")).status_code == 302
    assert client.get(PREVIEW).context["group_delivery"] is None
    client.post(PREVIEW, {"action": "place_order"})
    assert Order.objects.get().unit == unit and not GroupDelivery.objects.exists()


@pytest.mark.parametrize("role", [roles.BUYER, None])
def test_a_buyer_who_is_not_a_unit_purchaser_is_never_offered_many_addresses(client, unit, tea, role):
    # A member of the unit's staff (who redeems vouchers) without the purchaser's role, or a plain buyer.
    user = UserFactory(role=role) if role else UserFactory()
    unit.members.add(user)
    client.force_login(user)
    add(client, tea, 2)
    page = to_payment(client)
    assert OPTION not in page.content.decode()
    assert "delivery" not in page.context["form"].fields
    assert client.get(TEMPLATE).status_code == 404
    rows = [("", "甲", "13807440001", "某地", 2)]
    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    assert response.status_code == 302
    client.post(PREVIEW, {"action": "place_order"})
    assert Order.objects.exists() and not GroupDelivery.objects.exists()


def test_the_recipients_are_seen_by_the_unit_and_the_supplier_shipping_them_only(client, unit, purchaser, tea, rice):
    add(client, tea, 2)
    add(client, rice, 1)
    to_payment(client)
    rows = [
        ("桑植白茶礼盒", "向老师", "13807440001", "澧源镇城东路1号", 2),
        ("桑植富硒米", "田老师", "13807440002", "瑞塔铺镇", 1),
    ]
    client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    client.post(PREVIEW, {"action": "place_order"})
    order = Order.objects.get()
    page = reverse("procurement-dashboard:order-recipients", args=[order.number])
    assert "向老师" in client.get(page).content.decode()

    other_purchaser = UserFactory(role=roles.UNIT)
    UnitFactory(name="张家界市人民医院").members.add(other_purchaser)
    other = Client()
    other.force_login(other_purchaser)
    assert other.get(page).status_code == 404

    tea_supplier = UserFactory(role=roles.SUPPLIER)
    tea.stockrecords.get().partner.users.add(tea_supplier)
    shipper = Client()
    shipper.force_login(tea_supplier)
    shipment = order.shipments.get(partner=tea.stockrecords.get().partner)
    fulfilment = shipper.get(reverse("dashboard:order-fulfilment-detail", args=[shipment.pk])).content.decode()
    assert "向老师" in fulfilment and "澧源镇城东路1号" in fulfilment
    assert "田老师" not in fulfilment  # the rice supplier's recipient
    rice_shipment = order.shipments.get(partner=rice.stockrecords.get().partner)
    assert shipper.get(reverse("dashboard:order-fulfilment-detail", args=[rice_shipment.pk])).status_code == 404


def test_recipients_set_after_the_order_only_until_a_parcel_leaves(client, unit, purchaser, tea):
    place_unit_order(client, unit, tea, 2)
    order = Order.objects.get()
    page = reverse("procurement-dashboard:order-recipients", args=[order.number])
    rows = [("", "向老师", "13807440001", "澧源镇", 1), ("", "田老师", "13807440002", "瑞塔铺镇", 1)]
    assert client.post(page, {"file": workbook(*rows)}).status_code == 302
    assert list(Recipient.objects.values_list("name", flat=True)) == ["向老师", "田老师"]
    order.shipments.update(shipped_at=timezone.now())
    assert "收件人不能再更改" in client.get(page).content.decode()
    assert client.post(page, {"file": workbook(("", "甲", "13807440001", "某地", 2))}).status_code == 403
    assert list(Recipient.objects.values_list("name", flat=True)) == ["向老师", "田老师"]


def test_the_unit_accepts_a_many_address_order_seeing_what_each_recipient_was_sent(client, unit, purchaser, tea):
    from shop.invoicing.models import UnitOrder

    add(client, tea, 2)
    to_payment(client)
    rows = [("", "向老师", "13807440001", "澧源镇城东路1号", 1), ("", "田老师", "13807440002", "瑞塔铺镇", 1)]
    client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    client.post(PREVIEW, {"action": "place_order"})
    staff = UserFactory(role=roles.SUPPLIER)
    shipment = Order.objects.get().shipments.get()
    shipment.partner.users.add(staff)
    shipment_ship(shipment=shipment, user=staff, carrier="顺丰速运", tracking_number="SF1234567890")
    shipment_deliver(shipment=shipment, user=staff)
    unit_order = UnitOrder.objects.get(order__unit=unit)
    page = client.get(reverse("invoicing-dashboard:unit-order-detail", args=[unit_order.pk])).content.decode()
    section = page.split('id="unit-order-recipients"')[1].split("</details>")[0]
    assert "向老师" in section and "瑞塔铺镇" in section


def test_the_order_page_of_a_units_order_says_it_is_paid_after_acceptance_and_where_it_goes(
    client, unit, purchaser, tea
):
    add(client, tea, 2)
    to_payment(client)
    rows = [("", "向老师", "13807440001", "澧源镇", 1), ("", "田老师", "13807440002", "瑞塔铺镇", 1)]
    client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    thanks = client.get(client.post(PREVIEW, {"action": "place_order"}).url).content.decode()
    assert "供应商先发货" in thanks and "逾期订单将取消" not in thanks
    assert "多地址配送：按单位收件人表共 2 行" in thanks


def workbook_with_codes(*rows):
    return SimpleUploadedFile("同名商品.xlsx", recipients_xlsx(*rows, codes=True))


@pytest.fixture
def two_teas():
    """Two suppliers' products with the same title, told apart by their codes."""
    return (
        certified_product(title="桑植白茶", price="100.00", upc="ZJJ-001"),
        certified_product(title="桑植白茶", price="120.00", upc="ZJJ-002"),
    )


def test_products_with_the_same_title_are_told_apart_by_their_code(client, unit, purchaser, two_teas):
    first, second = two_teas
    add(client, first, 3)
    add(client, second, 2)
    to_payment(client)
    template = load_workbook(io.BytesIO(client.get(TEMPLATE).content))
    listed = [[cell.value for cell in row] for row in template.worksheets[1].iter_rows()]
    assert listed == [["商品", "商品编码", "购买数量"], ["桑植白茶", "ZJJ-001", 3], ["桑植白茶", "ZJJ-002", 2]]

    rows = [
        ("桑植白茶", "向老师", "13807440001", "澧源镇", 3, "ZJJ-001"),
        ("桑植白茶", "田老师", "13807440002", "瑞塔铺镇", 2, "zjj-002"),
    ]
    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook_with_codes(*rows)))
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(PREVIEW)
    assert [(s["code"], s["split"]) for s in preview.context["group_delivery"]["summary"]] == [
        ("ZJJ-001", 3),
        ("ZJJ-002", 2),
    ]
    client.post(PREVIEW, {"action": "place_order"})
    delivery = GroupDelivery.objects.get(order__user=purchaser)
    assert [(r.name, r.line.upc, r.quantity) for r in delivery.recipients.all()] == [
        ("向老师", "ZJJ-001", 3),
        ("田老师", "ZJJ-002", 2),
    ]


def test_a_title_shared_by_two_products_is_refused_with_its_row_and_nothing_is_kept(
    client, unit, purchaser, two_teas, rice
):
    first, second = two_teas
    add(client, first, 1)
    add(client, second, 1)
    add(client, rice, 1)
    to_payment(client)
    rows = [
        ("桑植富硒米", "谷老师", "13807440003", "官地坪镇", 1, ""),
        ("桑植白茶", "向老师", "13807440001", "澧源镇", 1, ""),
        ("桑植白茶", "田老师", "13807440002", "瑞塔铺镇", 1, "ZJJ-404"),
    ]
    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook_with_codes(*rows)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第3行" in page and "本订单有多件商品名为桑植白茶" in page
    assert "第4行" in page and "本订单没有编码为 ZJJ-404 的商品" in page
    assert "第2行" not in page
    assert client.session.get("checkout_data", {}).get("delivery", {}).get("recipients") is None


def test_the_template_of_another_units_order_is_not_found(client, unit, purchaser, tea):
    place_unit_order(client, unit, tea, 2)
    order = Order.objects.get()
    own = load_workbook(io.BytesIO(client.get(TEMPLATE, {"order": order.number}).content))
    assert [cell.value for cell in own.worksheets[1][2]] == ["桑植白茶礼盒", tea.upc, 2]

    other = UserFactory(role=roles.UNIT)
    UnitFactory(name="桑植县人民医院").members.add(other)
    client.force_login(other)
    assert client.get(TEMPLATE, {"order": order.number}).status_code == 404


def test_shipping_is_charged_per_address_that_receives_each_suppliers_products(client, unit, purchaser, tea, rice):
    tea_farm, rice_farm = tea.stockrecords.get().partner, rice.stockrecords.get().partner
    type(tea_farm).objects.filter(pk=tea_farm.pk).update(shipping_rate=Decimal("12.50"), free_shipping_threshold=None)
    type(rice_farm).objects.filter(pk=rice_farm.pk).update(shipping_rate=Decimal("8.00"), free_shipping_threshold=None)
    add(client, tea, 10)
    add(client, rice, 4)
    to_payment(client)
    rows = [
        ("桑植白茶礼盒", "向老师", "13807440001", "桑植县澧源镇城东路1号", 5),
        ("桑植白茶礼盒", "向师母", "13807440004", "桑植县澧源镇  城东路1号", 1),  # the same address: one parcel
        ("桑植白茶礼盒", "田老师", "13807440002", "桑植县瑞塔铺镇中学", 4),
        ("桑植富硒米", "谷老师", "13807440003", "桑植县官地坪镇中心小学", 4),
    ]
    response = client.post(PAYMENT, for_unit(unit, delivery="many", recipients_file=workbook(*rows)))
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(PREVIEW)
    assert [(c["parcels"], c["charge"]) for c in preview.context["group_delivery"]["shipping"]] == [
        (2, Decimal("25.00")),
        (1, Decimal("8.00")),
    ]
    assert preview.context["order_total"].incl_tax == Decimal("1916.00") + Decimal("33.00")
    assert "¥25.00" in preview.content.decode()
    # The supplier boxes of the preview and the basket page say the same as the order will.
    body = preview.content.decode()
    boxes = re.findall(r'<span class="supplier-shipping">\s*(.*?)\s*</span>', body, re.S)
    assert boxes[:2] == ["运费 ¥25.00", "运费 ¥8.00"]
    basket_body = client.get("/shop/basket/").content.decode()
    assert "运费 ¥25.00" in basket_body and "运费 ¥8.00" in basket_body
    assert "¥1,949.00" in basket_body or "¥1949.00" in basket_body

    client.post(PREVIEW, {"action": "place_order"})
    order = Order.objects.get(user=purchaser)
    assert order.shipping_incl_tax == Decimal("33.00")
    assert order.total_incl_tax == Decimal("1949.00")
    assert {s.partner_id: s.shipping_charge for s in order.shipments.all()} == {
        tea_farm.pk: Decimal("25.00"),
        rice_farm.pk: Decimal("8.00"),
    }


def test_one_address_is_one_parcel_per_supplier_as_before(client, unit, purchaser, tea):
    type(tea.stockrecords.get().partner).objects.filter(pk=tea.stockrecords.get().partner_id).update(
        shipping_rate=Decimal("12.50"), free_shipping_threshold=None
    )
    place_unit_order(client, unit, tea, 3)
    assert Order.objects.get().shipping_incl_tax == Decimal("12.50")


def test_an_order_whose_shipping_was_priced_for_one_parcel_is_not_placed_to_many_addresses(unit, purchaser, tea):
    from oscar.apps.order.exceptions import UnableToPlaceOrder

    from shop.shipping.methods import SupplierShipping
    from tests.integration.shop.support import basket_for, place

    basket = basket_for(purchaser, (tea, 2))
    stored = [
        {
            "row": 2,
            "title": "桑植白茶礼盒",
            "name": "向老师",
            "phone": "13807440001",
            "address": "澧源镇",
            "quantity": 1,
        },
        {
            "row": 3,
            "title": "桑植白茶礼盒",
            "name": "田老师",
            "phone": "13807440002",
            "address": "瑞塔铺镇",
            "quantity": 1,
        },
    ]
    one_parcel = SupplierShipping().calculate(basket)
    with pytest.raises(UnableToPlaceOrder, match="运费与收件人地址不再相符"):
        from shop.checkout.services import checkout_place_order

        checkout_place_order(
            user=purchaser,
            basket=basket,
            shipping_address=None,
            shipping_method=SupplierShipping(),
            shipping_charge=one_parcel,
            order_total=None,
            payment_method="transfer",
            unit=unit,
            recipients=stored,
        )
    assert not Order.objects.exists()
    order = place(
        purchaser,
        basket,
        unit=unit,
        invoice_title=unit.name,
        invoice_tax_number=unit.tax_number,
        recipients=stored,
    ).order
    assert order.shipping_incl_tax == 2 * one_parcel.incl_tax
