from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone
from oscar.apps.catalogue import views
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Option = get_model("catalogue", "Option")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")


class ProductDetailView(views.ProductDetailView):
    # The product class picks the template, the parent decides visibility and the origin is named in the
    # certification badge: load them with the product. Whether it has options (which the add-to-basket form asks)
    # comes in the same query, under the names Oscar's Product.has_options reads; so does whether it has
    # recommendations (Product.sorted_recommended_products asks for them only then).
    queryset = Product.objects.select_related("product_class", "parent__product_class", "origin").annotate(
        has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        has_recommendations=Exists(ProductRecommendation.objects.filter(primary=OuterRef("pk"))),
    )

    def get_queryset(self):
        # From the product's search row (search.listing): when it was last written, which keys the page's cached
        # parts, and whether it may be sold today, which the strategy then need not work out again
        # (suppliers.strategy reads `is_sellable`; when not sellable it looks for the reason itself).
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .annotate(
                entry_written=F("search_entry__indexed_at"),
                is_sellable=ExpressionWrapper(
                    Q(search_entry__sellable_from__lte=today, search_entry__sellable_until__gte=today),
                    output_field=BooleanField(),
                ),
            )
        )
