"""Demo unit orders after delivery (one to accept, one invoiced and due, one overdue), a buyer's invoice request after
payment, and a company invoice the buyer asked for at checkout (需要发票) on an order awaiting its transfer.

Idempotent: nothing is added when the demo unit already has orders followed here.
"""

from datetime import timedelta

from django.utils import timezone
from oscar.core.loading import get_class, get_model

from accounts.models import User
from shop.demo import place_order
from shop.invoicing.models import Invoice, InvoiceRequest, UnitOrder
from shop.invoicing.services import invoice_mark_sent, invoice_request, unit_order_accept
from shop.order.services import shipment_deliver, shipment_ship
from suppliers.credit_code import check_character
from suppliers.selectors import sellable_product_filter

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Shipment = get_model("order", "Shipment")
ShippingAddress = get_model("order", "ShippingAddress")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")


def _unit_order(member, unit, items, supplier_user):
    order = place_order(
        member, items, address=UNIT_ADDRESS, unit=unit, invoice_title=unit.name, invoice_tax_number="11430800MB1234567X"
    )
    for shipment in Shipment.objects.filter(order=order):
        shipment_ship(shipment=shipment, user=supplier_user, carrier="顺丰速运", tracking_number=f"SF{order.number}")
        shipment_deliver(shipment=shipment, user=supplier_user)
    return UnitOrder.objects.get(order=order)


UNIT_ADDRESS = {
    "first_name": "王采购",
    "phone_number": "+8613800138001",
    "state": "湖南省",
    "line4": "张家界市",
    "line3": "永定区",
    "line1": "子午路机关食堂",
}


def load():
    member = User.objects.filter(email="unit@demo.cn").first()
    supplier_user = User.objects.filter(email="supplier@demo.cn").first()
    buyer = User.objects.filter(email="buyer@demo.cn").first()
    unit = member.units.first() if member else None
    partner = supplier_user.partners.first() if supplier_user else None
    if unit is None or partner is None or UnitOrder.objects.filter(unit=unit).exists():
        return []
    products = list(
        Product.objects.filter(
            sellable_product_filter(), stockrecords__partner=partner, stockrecords__num_in_stock__gt=50
        ).order_by("pk")[:2]
    )
    if len(products) < 2:
        return []
    to_accept = _unit_order(member, unit, [(products[0], 20), (products[1], 10)], supplier_user)
    due = _unit_order(member, unit, [(products[1], 30)], supplier_user)
    unit_order_accept(unit_order=due, user=member, quantities={}, note="食堂验收：数量、品质相符")
    invoice = Invoice.objects.get(request__order=due.order)
    invoice_mark_sent(
        invoice=invoice,
        user=supplier_user,
        number="43002611",
        issued_on=timezone.localdate(),
        note="纸质发票随货寄出，顺丰 SF1420000001",
        amount=invoice.amount,
    )
    overdue = _unit_order(member, unit, [(products[0], 12)], supplier_user)
    line = overdue.order.lines.get()
    unit_order_accept(unit_order=overdue, user=member, quantities={line.pk: line.quantity - 2}, note="两箱破损，已拒收")
    # Accepted seven weeks ago: the 30 days to pay ran out before the last half month ended, so its bulletin names it.
    long_ago = timezone.now() - timedelta(days=50)
    UnitOrder.objects.filter(pk=overdue.pk).update(
        accepted_at=long_ago, payment_due_on=(long_ago + timedelta(days=30)).date()
    )
    paid = Order.objects.filter(user=buyer, paid_at__isnull=False, unit__isnull=True).order_by("pk").first()
    if paid is not None and not InvoiceRequest.objects.filter(order=paid).exists():
        invoice_request(order=paid, user=buyer, title_kind="person", title="李爱心")
    if buyer is not None:
        code = "91430822MA4P7K3R2" + check_character("91430822MA4P7K3R2")
        place_order(
            buyer,
            [(products[0], 3)],
            buyer_invoice={"title_kind": "company", "title": "桑植县瑞塔铺镇农家乐合作社", "tax_number": code},
        )
    return [to_accept, due, overdue]
