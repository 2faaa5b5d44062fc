"""Cached product listings: search results and rendered product cards shared by every visitor.

A catalogue page asks the search backend for a page of product ids and facet counts, then renders a card per product.
Both are the same for every anonymous visitor, so both are kept in the cache under a *listing version* that any change
to a product, its stock record, image or category, a supplier or a certification replaces at once (see apps.py); the
date is part of every key, because certificates start and end on dates. What differs per visitor — the CSRF token of
the add-to-basket forms — is put into the cached cards on the way out.
"""

import contextvars
import hashlib

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from config.cache_versions import CacheVersion
from config.prefetch import set_prefetched_later

VERSION = CacheVersion("catalogue:listing-version")
TIMEOUT = 300
CSRF_PLACEHOLDER = "csrf-token-placeholder-3c6f1e"
CARD_TEMPLATE = "oscar/search/partials/product.html"
# True while a shared fragment renders: cards inside it keep the placeholder, which the fragment fills on the way out.
_rendering_shared_fragment = contextvars.ContextVar("rendering_shared_fragment", default=False)

listing_version = VERSION.get
listing_changed = VERSION.replace


def key(kind, *parts, version=None):
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return ":".join(
        ["catalogue", kind, version or listing_version(), str(timezone.localdate()), translation.get_language(), digest]
    )


def cached_search(backend, query):
    """The backend's result for this query, from the cache when the catalogue has not changed since."""
    cache_key = key("search", type(backend).__name__, query)
    result = cache.get(cache_key)
    if result is None:
        result = backend.search(query)
        cache.set(cache_key, result, TIMEOUT)
    return result


def sellable_flags(product_ids, compute):
    """Whether each product may be sold today, {pk: bool}: from the cache, `compute(missing_ids)` for the rest."""
    version = listing_version()
    keys = {pk: key("sellable", pk, version=version) for pk in product_ids}
    found = cache.get_many(list(keys.values()))
    flags = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in product_ids if pk not in flags]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[pk]: fresh[pk] for pk in missing}, TIMEOUT)
        flags.update(fresh)
    return flags


def render_cards(request, product_ids, highlights, load_products):
    """The HTML of one product card per id, in order; only the products whose card is not cached are loaded."""
    highlights = highlights or {}
    version = listing_version()
    keys = {pk: key("card", pk, highlights.get(pk), version=version) for pk in product_ids}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in product_ids if keys[pk] not in found]
    if missing:
        rendered = {}
        for product in load_products(missing, highlights):
            rendered[keys[product.pk]] = render_to_string(
                CARD_TEMPLATE, {"product": product, "request": request, "csrf_token": CSRF_PLACEHOLDER}
            )
        cache.set_many(rendered, TIMEOUT)
        found.update(rendered)
    token = CSRF_PLACEHOLDER if _rendering_shared_fragment.get() else get_token(request)
    # The cards were rendered by our own template with autoescaping; only the token is put in.
    return [mark_safe(found[keys[pk]].replace(CSRF_PLACEHOLDER, token)) for pk in product_ids if keys[pk] in found]


def shared_fragment(request, name, vary, render, token=None):
    """HTML that every visitor sees alike, rendered once per listing version, date and language.

    `render(csrf_token)` renders the fragment; it is given a placeholder for the CSRF token, which is replaced by the
    visitor's own token (`token`, when the caller has it already) on the way out, so forms inside the fragment keep
    working for everyone.
    """
    if getattr(request, "is_preview", False):
        # An editor previewing a draft must see the draft, not the published page's fragment.
        return render(get_token(request))
    cache_key = key("fragment", name, *vary)
    html = cache.get(cache_key)
    if html is None:
        rendering = _rendering_shared_fragment.set(True)
        try:
            html = str(render(CSRF_PLACEHOLDER))
        finally:
            _rendering_shared_fragment.reset(rendering)
        cache.set(cache_key, html, TIMEOUT)
    if CSRF_PLACEHOLDER in html and request is not None and not _rendering_shared_fragment.get():
        html = html.replace(CSRF_PLACEHOLDER, token or get_token(request))
    # Rendered by our own templates with autoescaping on; only the token is put in.
    return mark_safe(html)


def prefetch_images(products):
    """Give each product its images as `prefetch_related("images")` would, fetched when first used.

    Nothing is read until some product's images are used (a page whose pictures come from a cached fragment never
    reads them); then the images of all these products are read at once, from the cache where they are kept per
    product under the listing version (which saving or deleting an image replaces), and in one query for the rest.
    """
    from collections import defaultdict

    from oscar.core.loading import get_model

    products = [product for product in products if product is not None]

    def load(products):
        by_pk = {product.pk: product for product in products}
        version = listing_version()
        keys = {pk: key("images", pk, version=version) for pk in by_pk}
        found = cache.get_many(list(keys.values()))
        images = {pk: found[keys[pk]] for pk in by_pk if keys[pk] in found}
        missing = [pk for pk in by_pk if pk not in images]
        if missing:
            fetched = defaultdict(list)
            for image in get_model("catalogue", "ProductImage").objects.filter(product_id__in=missing):
                fetched[image.product_id].append(image)
            cache.set_many({keys[pk]: fetched[pk] for pk in missing}, TIMEOUT)
            images.update({pk: fetched[pk] for pk in missing})
        for pk, product_images in images.items():
            for image in product_images:
                image.product = by_pk[pk]
        return images

    set_prefetched_later(products, "images", load)
