"""Demo orders: one paid order of two suppliers waiting to be shipped, one bank transfer waiting to arrive.

Idempotent: nothing is added when the demo buyer already has orders.
"""

from oscar.core.loading import get_class, get_model

from accounts.models import User
from shop.address.forms import china
from shop.checkout.services import checkout_place_order
from shop.order.services import transfer_mark_received
from shop.shipping.methods import SupplierShipping, parcels_for_stored
from suppliers.selectors import sellable_product_filter

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")


BUYER_ADDRESS = {
    "first_name": "李爱心",
    "phone_number": "+8613800138000",
    "state": "湖南省",
    "line4": "长沙市",
    "line3": "岳麓区",
    "line1": "麓山南路2号",
}


def place_order(user, items, *, address=BUYER_ADDRESS, **placement):
    """A demo order placed through checkout's own service, paid by transfer; `placement` goes to
    checkout_place_order (a unit and its invoice title, for instance)."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    method = SupplierShipping(parcels=parcels_for_stored(basket=basket, stored=placement.get("recipients")))
    charge = method.calculate(basket)
    shipping_address = ShippingAddress(country=china(), **address)
    order = checkout_place_order(
        user=user,
        basket=basket,
        shipping_address=shipping_address,
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
        payment_method=Order.TRANSFER,
        **placement,
    ).order
    return order


def load():
    buyer = User.objects.filter(email="buyer@demo.cn").first()
    admin = User.objects.filter(email="admin@demo.cn").first()
    if buyer is None or admin is None or Order.objects.filter(user=buyer).exists():
        return []
    products = list(
        Product.objects.filter(sellable_product_filter(), stockrecords__num_in_stock__gt=5)
        .select_related("product_class")
        .order_by("stockrecords__partner__code", "pk")
    )
    by_partner = {}
    for product in products:
        by_partner.setdefault(product.stockrecords.first().partner_id, product)
    picks = list(by_partner.values())
    if len(picks) < 2:
        return []
    paid = place_order(buyer, [(picks[0], 2), (picks[1], 1)])
    transfer_mark_received(order=paid, user=admin)
    waiting = place_order(buyer, [(picks[-1], 1)])
    return [paid, waiting]
