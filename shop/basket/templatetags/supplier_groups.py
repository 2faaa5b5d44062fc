"""The basket as a buyer reads it on a Chinese shop: one group per supplier, its shipping and what is left to ship free."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django import template

from shop.shipping.methods import ZERO, parcels_for_recipients, supplier_charges

register = template.Library()


@dataclass
class GroupItem:
    item: object  # a basket line, or the basket formset's form for it
    index: int  # its place in the basket (the formset's form number, which Oscar's basket script addresses)


@dataclass
class SupplierGroup:
    supplier: object
    lines: list = field(default_factory=list)
    subtotal: Decimal = ZERO
    shipping: Decimal = ZERO

    @property
    def free_shipping_gap(self):
        """How much more from this supplier ships the lot free (再买¥12包邮), or None when it already does or never will."""
        threshold = getattr(self.supplier, "free_shipping_threshold", None)
        if not self.shipping or threshold is None or self.subtotal >= threshold:
            return None
        return (threshold - self.subtotal).quantize(Decimal("0.01"))


@dataclass
class GroupedBasket:
    groups: list
    shipping: Decimal
    total: Decimal


def group_by_supplier(basket, items=None, parcels=None):
    """The basket's lines (or `items`, e.g. the basket formset's forms, one per line) grouped by supplier.

    Each supplier's shipping comes from the shipping method's own rule (shop.shipping.methods.supplier_charges, with
    `parcels` for a delivery to many addresses), so the basket shows what checkout will charge. Works from the lines
    the basket has already loaded: no query of its own.
    """
    items = list(items) if items is not None else list(basket.all_lines())
    charges = {partner.pk: (subtotal, charge) for partner, subtotal, charge in supplier_charges(basket, parcels)}
    groups = {}
    for index, item in enumerate(items):
        line = getattr(item, "instance", item)
        supplier = line.stockrecord.partner if line.stockrecord_id else None
        key = supplier.pk if supplier else None
        if key not in groups:
            subtotal, charge = charges.get(key, (ZERO, ZERO))
            groups[key] = SupplierGroup(supplier=supplier, subtotal=subtotal, shipping=charge)
        groups[key].lines.append(GroupItem(item=item, index=index))
    shipping = sum((group.shipping for group in groups.values()), ZERO)
    goods = basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax
    return GroupedBasket(groups=list(groups.values()), shipping=shipping, total=(goods or ZERO) + shipping)


def recipient_parcels(context, basket):
    """The parcels of the recipients this visitor chose at checkout for their basket, if any (shop.shipping.methods).
    The basket page and the checkout preview only ever show the visitor's own basket."""
    return parcels_for_recipients(basket=basket, request=context.get("request"))


@register.simple_tag
def basket_line_details(basket):
    """Load the options and pictures of the lines a template is about to draw (shop.basket.models.LINE_DETAILS)."""
    if getattr(basket, "id", None) is not None:
        basket.with_line_details()
    return ""


@register.simple_tag(takes_context=True)
def basket_by_supplier(context, basket, items=None):
    return group_by_supplier(basket, items, parcels=recipient_parcels(context, basket))


@register.simple_tag(takes_context=True)
def basket_lines_state(context, basket, user, formset=None):
    """What the basket page's lines show, as one short key for `{% cache %}`, or "" when they must be drawn afresh.

    The lines of a basket read again unchanged (a buyer going back to the basket, reloading it, changing nothing) are
    drawn from the cache; the key names each line (its basket line, so no other basket can share it), its quantity, its
    price and availability, when its product's search row was last written (title, picture, supplier, certification:
    search.listing), each supplier's subtotal and shipping, and whether the visitor is signed in (the "save for later"
    link). A formset sent back with errors is never cached. Built from the lines the basket has already loaded.
    """
    if formset is not None and formset.is_bound:
        return ""
    parts = [str(bool(user.is_authenticated)), basket.currency or ""]
    for line in basket.all_lines():
        stockrecord = line.stockrecord
        parts.append(
            "|".join(
                str(value)
                for value in (
                    line.pk,
                    line.quantity,
                    line.product_id,
                    getattr(line, "product_written", None),
                    getattr(line, "product_sellable", None),
                    line.product.date_updated,
                    line.stockrecord_id,
                    stockrecord.price if stockrecord else None,
                    stockrecord.num_in_stock if stockrecord else None,
                    stockrecord.num_allocated if stockrecord else None,
                    stockrecord.partner.display_name if stockrecord else None,
                    line.unit_price_incl_tax,
                    line.unit_price_excl_tax,
                    line.is_tax_known,
                )
            )
        )
    for partner, subtotal, charge in supplier_charges(basket, recipient_parcels(context, basket)):
        parts.append(f"{partner.pk}:{subtotal}:{charge}:{partner.free_shipping_threshold}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@register.simple_tag(takes_context=True)
def basket_page_state(context):
    """What the basket page's content shows, as one short key for `{% cache %}`, or "" when it must be drawn afresh.

    The content (the lines, the voucher box, the totals and the bar with 去结算) is a function of the lines and their
    suppliers' shipping (basket_lines_state), the offers and vouchers applied and what each took off, the warnings and
    upsell messages, the shipping estimate, the surcharges and the order total: all of them go into the key, so any
    change draws it again. Drawn afresh instead: a formset sent back with errors (basket_lines_state), a basket
    holding a voucher (each voucher's remove button is a form of its own) and a visitor's lines saved for later.
    The forms' token is never part of the cached content: the page draws it beside the cache for each visitor.
    """
    basket = context.get("basket")
    if basket is None or context.get("saved_formset"):
        return ""
    if basket.is_empty:
        return "empty"
    applications = list(basket.offer_applications.applications.values())
    if any(application["voucher"] for application in applications):
        return ""
    lines_state = basket_lines_state(context, basket, context.get("user"), context.get("formset"))
    if not lines_state:
        return ""
    method = context.get("shipping_method")
    charges = [context.get("shipping_charge"), context.get("shipping_charge_excl_discount"), context.get("order_total")]
    parts = [
        lines_state,
        repr([str(warning) for warning in context.get("basket_warnings") or ()]),
        repr(
            [
                (str(upsell["message"]), upsell["offer"].pk, upsell["offer"].name)
                for upsell in context.get("upsell_messages") or ()
            ]
        ),
        repr(
            [
                (
                    app["offer"].pk,
                    app["name"],
                    app["description"],
                    app["discount"],
                    app["freq"],
                    app["result"].affects_post_order,
                )
                for app in applications
            ]
        ),
        repr(
            [
                basket.total_incl_tax,
                basket.total_excl_tax,
                basket.total_incl_tax_excl_discounts,
                basket.total_excl_tax_excl_discounts,
                basket.is_tax_known,
            ]
        ),
        repr(
            [
                len(context.get("shipping_methods") or ()),
                getattr(method, "code", None),
                str(getattr(method, "name", "")),
            ]
        ),
        repr([getattr(method, "is_discounted", False), str(getattr(method, "discount_name", "") or "")]),
        repr([(p.incl_tax if p.is_tax_known else None, p.excl_tax, p.is_tax_known) if p else None for p in charges]),
        repr(
            [
                (str(s.surcharge.name), s.price.incl_tax if s.price.is_tax_known else None, s.price.excl_tax)
                for s in context.get("surcharges") or ()
            ]
        ),
        repr([bool(context.get("voucher_form")), bool(context.get("show_tax_separately"))]),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
