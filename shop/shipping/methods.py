from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F403
from oscar.apps.shipping.methods import Base
from oscar.core import prices

ZERO = Decimal("0.00")


def supplier_charges(basket):
    """Each supplier's part of the basket and what it charges to ship it: its own rate, nothing above its threshold.

    Returns a list of (partner, subtotal, charge), in the order the suppliers first appear in the basket.
    """
    subtotals, partners = {}, {}
    for line in basket.all_lines():
        if line.stockrecord_id is None or not line.product.get_product_class().requires_shipping:
            continue
        partner_id = line.stockrecord.partner_id
        partners[partner_id] = line.stockrecord.partner  # loaded with the lines (Basket.all_lines)
        price = line.line_price_incl_tax_incl_discounts
        subtotals[partner_id] = subtotals.get(partner_id, ZERO) + (price if price is not None else ZERO)
    charges = []
    for partner_id, subtotal in subtotals.items():
        partner = partners[partner_id]
        threshold = partner.free_shipping_threshold
        free = threshold is not None and subtotal >= threshold
        charges.append((partner, subtotal, ZERO if free else partner.shipping_rate))
    return charges


class SupplierShipping(Base):
    """One parcel per supplier, each charged at that supplier's rate."""

    code = "supplier-shipping"
    name = _("Shipped by each supplier")
    description = _("Each supplier ships its own products at its own rate, free above the amount it sets.")
    is_tax_known = True

    def __init__(self):
        self._charges = {}

    def charges(self, basket):
        key = (basket.pk, tuple((line.pk, line.quantity) for line in basket.all_lines()))
        if key not in self._charges:
            self._charges[key] = supplier_charges(basket)
        return self._charges[key]

    def calculate(self, basket):
        total = sum((charge for _partner, _subtotal, charge in self.charges(basket)), ZERO)
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)
