from oscar.apps.catalogue import views
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.core.loading import get_model

from .signals import product_page_viewed

Product = get_model("catalogue", "Product")


class ProductDetailView(views.ProductDetailView):
    # The product class picks the template and the parent decides visibility: load both with the product.
    queryset = Product.objects.select_related("product_class", "parent__product_class")
    view_signal = product_page_viewed
