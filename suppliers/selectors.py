from django.db.models import Exists, OuterRef
from django.utils import timezone

from suppliers.models import ProductCertification, SupplierCertification


def sellable_product_filter(on=None):
    """An expression true for products that hold a valid certification from a supplier that holds one too."""
    on = on or timezone.localdate()
    supplier_ok = SupplierCertification.objects.valid(on).filter(partner=OuterRef("partner"))
    product_ok = ProductCertification.objects.valid(on).filter(product=OuterRef("pk")).filter(Exists(supplier_ok))
    return Exists(product_ok)


def product_valid_certification(*, product, on=None):
    """The certification that lets this product be sold today, or None."""
    on = on or timezone.localdate()
    supplier_ok = SupplierCertification.objects.valid(on).filter(partner=OuterRef("partner"))
    return (
        ProductCertification.objects.valid(on)
        .filter(product=product)
        .filter(Exists(supplier_ok))
        .select_related("partner", "certifying_office", "batch")
        .first()
    )
