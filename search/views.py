from collections.abc import Sequence
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from oscar.core.loading import get_model

from shop.catalogue.selectors import product_cards

from .backends import SearchUnavailable, fallback_backend, get_backend
from .backends.database import DatabaseBackend
from .forms import SearchForm
from .listing import digest, grid_key, index_state

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

SEARCH_UNAVAILABLE = _("Search is briefly unavailable: results come from the database and may be incomplete.")

FACETS = (
    ("category", "category", _("Category")),
    ("partner", "supplier", _("Supplier")),
    ("county", "county", _("Place of origin")),
    ("supplier_type", "supplier_type", _("Supplier type")),
    ("quality", "quality", _("Quality marks")),
    ("price", "price", _("Price")),
)


def products_in_order(product_ids, highlights=None):
    """The products of one result page, in result order, with what a product card needs already loaded."""
    products = product_cards().filter(pk__in=product_ids)
    by_id = {product.pk: product for product in products}
    ordered = []
    for pk in product_ids:
        if pk in by_id:
            product = by_id[pk]
            # The index only returns products whose certifications are valid today; the strategy need not ask again.
            product.is_sellable = True
            product.search_highlight = (highlights or {}).get(pk)
            ordered.append(product)
    return ordered


class PageProducts(Sequence):
    """The products of the page shown, read from the database only when a card is rendered (not when the page's
    cached grid is served)."""

    def __init__(self, product_ids, highlights):
        self.product_ids, self.highlights, self.loaded = product_ids, highlights, None

    def products(self):
        if self.loaded is None:
            self.loaded = products_in_order(self.product_ids, self.highlights)
        return self.loaded

    def __len__(self):
        return len(self.products())

    def __getitem__(self, index):
        return self.products()[index]


class ResultWindow(Sequence):
    """What the paginator sees: the total from the search engine; slicing gives the current page's products."""

    def __init__(self, total, products):
        self.total, self.products = total, products

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.products
        raise IndexError("only the current page is known")


class ProductSearchView(TemplateView):
    summary = _("All products")

    def category_ids(self):
        return ()

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        try:
            self.page_number = int(request.GET.get("page", 1))
        except ValueError:
            self.page_number = 0
        per_page = settings.OSCAR_PRODUCTS_PER_PAGE
        if self.page_number < 1:
            return self.invalid_page()
        query = self.form.to_query(page=self.page_number, per_page=per_page, category_ids=self.category_ids())
        self.result, self.grid_key = self.search(query)
        products = PageProducts(self.result.product_ids, self.result.highlights)
        paginator = Paginator(ResultWindow(self.result.total, products), per_page)
        try:
            self.page = paginator.page(self.page_number)
        except InvalidPage:
            return self.invalid_page()
        return super().get(request, *args, **kwargs)

    def search(self, query):
        """The engine's answer and the key of its card grid (search.listing). The database index's answer is cached on
        the query and the search table's state, so it is worked out again after any change to any search row."""
        backend = get_backend()
        # Only the database index's answers are kept: the table they are keyed on is the index itself. Elasticsearch
        # takes changes a moment after the database (a task sends them), so its answers are asked for every time.
        keep = isinstance(backend, DatabaseBackend)
        self.listing_key = digest(query, index_state(), get_language()) if keep else None
        cached = cache.get(f"listing:{self.listing_key}") if keep else None
        if cached is not None:
            return cached
        try:
            result = backend.search(query)
        except SearchUnavailable:
            messages.warning(self.request, SEARCH_UNAVAILABLE)
            self.listing_key = None
            result = fallback_backend().search(query)
        answer = (result, grid_key(result.product_ids, query.text, get_language()))
        if self.listing_key:
            cache.set(f"listing:{self.listing_key}", answer, settings.SEARCH_LISTING_CACHE_SECONDS)
        return answer

    def invalid_page(self):
        messages.error(self.request, _("The given page number was invalid."))
        params = self.request.GET.copy()
        params.pop("page", None)
        return redirect(f"{self.request.path}?{params.urlencode()}" if params else self.request.path)

    def facet_data(self):
        params = self.request.GET.copy()
        params.pop("page", None)
        data = []
        for key, param, name in FACETS:
            items = []
            selected = params.get(param, "")
            for facet in self.result.facets.get(key, []):
                toggled = params.copy()
                if selected == facet.value:
                    toggled.pop(param, None)
                else:
                    toggled[param] = facet.value
                items.append(
                    {
                        "name": facet.label,
                        "count": facet.count,
                        "selected": selected == facet.value,
                        "url": "?" + toggled.urlencode(),
                    }
                )
            if items:
                data.append({"name": name, "results": items})
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_params = self.request.GET.copy()
        page_params.pop("page", None)
        context.update(
            {
                "form": self.form,
                "search_form": self.form,
                "query": self.form.cleaned_data.get("q", "") if self.form.is_valid() else "",
                "products": self.page.object_list,
                "page_obj": self.page,
                "paginator": self.page.paginator,
                # A method: worked out only when the facet panel is rendered, not when it is served from the cache.
                "facet_data": self.facet_data,
                "has_facets": any(self.result.facets.values()),
                "has_products": bool(self.result.product_ids),
                "summary": self.summary,
                "page_query": urlencode([(k, v) for k in page_params for v in page_params.getlist(k)]),
                # The cached parts of the page (search.listing): None turns caching off for an answer from the
                # fallback, which is not kept.
                "listing_cache_seconds": settings.SEARCH_LISTING_CACHE_SECONDS if self.listing_key else 0,
                "listing_key": digest(self.listing_key, sorted(self.request.GET.lists())),
                "grid_key": self.grid_key,
                "grid_cache_seconds": settings.SEARCH_GRID_CACHE_SECONDS,
            }
        )
        return context


class CatalogueView(ProductSearchView):
    template_name = "oscar/catalogue/browse.html"


class ProductCategoryView(ProductSearchView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected_path = self.category.get_absolute_url()
        if unquote(expected_path) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected_path)
        return super().get(request, *args, **kwargs)

    def category_ids(self):
        return (self.category.pk,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context


class FacetedSearchView(ProductSearchView):
    template_name = "oscar/search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = _("Search")
        return context


class SuggestView(View):
    """Search-as-you-type: titles of sellable products matching what is typed so far, as JSON."""

    def get(self, request):
        text = request.GET.get("q", "")[:50]
        try:
            suggestions = get_backend().suggest(text)
        except SearchUnavailable:
            suggestions = fallback_backend().suggest(text)
        response = JsonResponse({"query": text, "suggestions": suggestions})
        response["Cache-Control"] = "public, max-age=60"
        return response
