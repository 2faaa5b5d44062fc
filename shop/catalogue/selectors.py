from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Option = get_model("catalogue", "Option")


def product_cards():
    """Products with what Oscar's product card reads: the class (stock tracking, shipping), the place of origin, the
    stock records and pictures, and whether the product has options (Product.has_options reads these annotations).

    Oscar's base_queryset() also prefetches children and both sets of options: the card reads neither (a parent's
    price comes from children.public(), a query of its own; options only when has_options is true, and then the form
    asks for them again), so these were three queries a page for nothing.
    """
    return (
        Product.objects.select_related("product_class", "origin")
        .annotate(
            has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related("stockrecords", "images")
    )
