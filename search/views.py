from collections.abc import Sequence
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from oscar.core.loading import get_model

from shop.catalogue.selectors import product_cards

from .backends import SearchUnavailable, fallback_backend, get_backend
from .forms import SearchForm

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


class ResultWindow(Sequence):
    """What the paginator sees: the total from the search engine, the current page's products on slicing."""

    def __init__(self, total, products, offset):
        self.total, self.products, self.offset = total, products, offset

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.products[index.start - self.offset : index.stop - self.offset]
        return self.products[index - self.offset]


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
        try:
            self.result = get_backend().search(query)
        except SearchUnavailable:
            self.result = fallback_backend().search(query)
            messages.warning(request, SEARCH_UNAVAILABLE)
        products = products_in_order(self.result.product_ids, self.result.highlights)
        paginator = Paginator(ResultWindow(self.result.total, products, (self.page_number - 1) * per_page), per_page)
        try:
            self.page = paginator.page(self.page_number)
        except InvalidPage:
            return self.invalid_page()
        return super().get(request, *args, **kwargs)

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
                "facet_data": self.facet_data(),
                "summary": self.summary,
                "page_query": urlencode([(k, v) for k in page_params for v in page_params.getlist(k)]),
            }
        )
        context["has_facets"] = bool(context["facet_data"])
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
