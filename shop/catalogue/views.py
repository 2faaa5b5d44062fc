from django.db.models import Exists, OuterRef
from oscar.apps.catalogue import views
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Option = get_model("catalogue", "Option")


class ProductDetailView(views.ProductDetailView):
    # The product class picks the template, the parent decides visibility and the origin is named in the
    # certification badge: load them with the product. Whether it has options (which the add-to-basket form asks)
    # comes in the same query, under the names Oscar's Product.has_options reads.
    queryset = Product.objects.select_related("product_class", "parent__product_class", "origin").annotate(
        has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )
