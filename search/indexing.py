"""Builds the search rows of products from the catalogue, the stock records and the certifications."""

import contextlib
import re
import threading

from django.db.models import Max, Min
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from regions.models import Region
from suppliers.models import CertificationStatus, ProductCertification, SupplierCertification
from suppliers.selectors import suspended_by_changes

from .text import index_tokens, searchable_text

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

_state = threading.local()

# Product flags shown as the "quality marks" facet, and their short codes in the index.
QUALITY_MARKS = {
    "is_green_food": "green",
    "is_organic": "organic",
    "is_geographical_indication": "gi",
    "has_quality_certificate": "quality",
}


@contextlib.contextmanager
def paused():
    """Skip index updates on save, for bulk loads that rebuild the index afterwards."""
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def is_paused():
    return getattr(_state, "paused", False)


def _windows(model, key, ids):
    rows = (
        model.objects.filter(**{f"{key}__in": ids}, status=CertificationStatus.CERTIFIED)
        .values(key)
        .annotate(start=Min("valid_from"), end=Max("valid_until"))
    )
    return {row[key]: (row["start"], row["end"]) for row in rows}


def entry_rows(product_ids):
    """A dict of search fields per searchable product among product_ids (public, not a variant child)."""
    products = list(
        Product.objects.filter(pk__in=list(product_ids), is_public=True)
        .exclude(structure=Product.CHILD)
        .select_related("origin")
        .prefetch_related("categories", "stockrecords__partner__region")
    )
    if not products:
        return {}
    categories = {c.path: c for c in Category.objects.only("id", "path", "depth", "name")}
    step = Category.steplen
    product_windows = _windows(ProductCertification, "product_id", [p.pk for p in products])
    partner_ids = {sr.partner_id for p in products for sr in p.stockrecords.all()}
    supplier_windows = _windows(SupplierCertification, "partner_id", partner_ids)
    # Not sold while a change to its certified facts, or its supplier's, awaits the county office.
    suspended_products, suspended_partners = suspended_by_changes(
        product_ids=[p.pk for p in products], partner_ids=partner_ids
    )
    ProductRecord = get_model("analytics", "ProductRecord")
    sold = dict(
        ProductRecord.objects.filter(product_id__in=[p.pk for p in products]).values_list("product_id", "num_purchases")
    )
    county_codes = set()
    rows = {}
    for product in products:
        stockrecords = sorted(product.stockrecords.all(), key=lambda sr: (sr.price is None, sr.price or 0))
        stockrecord = stockrecords[0] if stockrecords else None
        partner = stockrecord.partner if stockrecord else None
        region = product.origin or (partner.region if partner else None)
        region_code = region.code if region else ""
        product_categories = list(product.categories.all())
        category_ids, category_names = set(), []
        for category in product_categories:
            for depth in range(1, category.depth + 1):
                ancestor = categories.get(category.path[: depth * step])
                if ancestor:
                    category_ids.add(ancestor.pk)
                    category_names.append(ancestor.name)
        first = product_categories[0] if product_categories else None
        start, end = None, None
        suspended = product.pk in suspended_products or (partner and partner.pk in suspended_partners)
        if partner and product.pk in product_windows and partner.pk in supplier_windows and not suspended:
            (p_start, p_end), (s_start, s_end) = product_windows[product.pk], supplier_windows[partner.pk]
            start, end = max(p_start, s_start), min(p_end, s_end)
        county_code = region_code[:6] + "000000" if region_code else ""
        county_codes.add(county_code)
        rows[product.pk] = {
            "product_id": product.pk,
            "title": product.title[:255],
            "text": searchable_text(
                product.title,
                " ".join(dict.fromkeys(category_names)),
                partner.name if partner else "",
                region.name if region else "",
                product.specification,
                product.season,
                re.sub(r"\s+", " ", strip_tags(product.description or ""))[:2000],
            ),
            "tokens": "",
            "category_ids": "|" + "|".join(str(pk) for pk in sorted(category_ids)) + "|" if category_ids else "",
            "category_id": first.pk if first else None,
            "category_name": first.name if first else "",
            "partner_id": partner.pk if partner else None,
            "partner_name": partner.name if partner else "",
            "supplier_type": partner.supplier_type if partner else "",
            "quality_marks": "|"
            + "|".join(QUALITY_MARKS[name] for name in QUALITY_MARKS if getattr(product, name))
            + "|",
            "popularity": sold.get(product.pk, 0),
            "region_code": region_code,
            "county_code": county_code,
            "county_name": "",
            "price": stockrecord.price if stockrecord else None,
            "in_stock": bool(stockrecord and (stockrecord.num_in_stock is None or stockrecord.net_stock_level > 0)),
            "sellable_from": start,
            "sellable_until": end,
            "date_created": product.date_created,
        }
    for row in rows.values():
        row["tokens"] = index_tokens(row["text"])
    names = dict(Region.objects.filter(code__in=county_codes - {""}).values_list("code", "name"))
    for row in rows.values():
        row["county_name"] = names.get(row["county_code"], "")
    return rows
