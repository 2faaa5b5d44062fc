from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F403
from oscar.apps.shipping.methods import Base
from oscar.core import prices

ZERO = Decimal("0.00")


def supplier_charges(basket, parcels=None):
    """Each supplier's part of the basket and what it charges to ship it: its own rate per parcel, nothing above its
    threshold. One parcel per supplier, unless `parcels` (partner id → number of addresses receiving that supplier's
    products, for a delivery to many addresses) says otherwise.

    Returns a list of (partner, subtotal, charge), in the order the suppliers first appear in the basket.
    """
    parcels = parcels or {}
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
        charges.append((partner, subtotal, ZERO if free else partner.shipping_rate * parcels.get(partner_id, 1)))
    return charges


def parcels_per_supplier(*, basket, rows):
    """Partner id → the number of different addresses that receive its products, from checked recipient rows."""
    partner_of = {line.pk: line.stockrecord.partner_id for line in basket.all_lines() if line.stockrecord_id}
    addresses = {}
    for row in rows:
        if row.key in partner_of:
            addresses.setdefault(partner_of[row.key], set()).add("".join(row.address.split()))
    return {partner_id: len(found) for partner_id, found in addresses.items()}


def parcels_for_stored(*, basket, stored):
    """The parcels of recipients kept as the checkout session keeps them (None when there are none). Recipients that no
    longer match the basket count as one address each supplier: the preview and placement refuse them anyway."""
    from shop.order import recipients

    if not stored:
        return None
    try:
        rows = recipients.check_rows(rows=recipients.rows_from_session(stored), items=recipients.basket_items(basket))
    except recipients.RecipientsRejected:
        return None
    return parcels_per_supplier(basket=basket, rows=rows)


def parcels_for_recipients(*, basket, request):
    """The parcels of a delivery to many addresses chosen at checkout (None for delivery to one address)."""
    from shop.checkout.utils import CheckoutSessionData

    if request is None or not hasattr(request, "session"):
        return None
    # Read without CheckoutSessionData's getter, which would add its namespace to every visitor's session.
    stored = request.session.get(CheckoutSessionData.SESSION_KEY, {}).get("delivery", {}).get("recipients")
    return parcels_for_stored(basket=basket, stored=stored)


class SupplierShipping(Base):
    """One parcel per supplier (per address receiving its products, for a delivery to many addresses), each charged
    at that supplier's rate."""

    code = "supplier-shipping"
    name = _("Shipped by each supplier")
    description = _("Each supplier ships its own products at its own rate, free above the amount it sets.")
    is_tax_known = True

    def __init__(self, parcels=None):
        self.parcels = parcels
        self._charges = {}

    def charges(self, basket):
        key = (basket.pk, tuple((line.pk, line.quantity) for line in basket.all_lines()))
        if key not in self._charges:
            self._charges[key] = supplier_charges(basket, parcels=self.parcels)
        return self._charges[key]

    def calculate(self, basket):
        total = sum((charge for _partner, _subtotal, charge in self.charges(basket)), ZERO)
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)
