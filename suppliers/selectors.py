from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts import roles
from suppliers.models import ProductCertification, SupplierCertification


def valid_supplier_exists(on=None, partner_ref="partner"):
    """An expression true when the supplier named by `partner_ref` holds a valid certification."""
    return Exists(SupplierCertification.objects.valid(on).filter(partner=OuterRef(partner_ref)))


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
        .select_related("partner", "partner__region", "certifying_office", "batch")
        .first()
    )


def review_queue(*, reviewer):
    """Supplier and product certifications of the reviewer's county, newest first."""
    from .models import ProductCertification, SupplierCertification

    county = reviewer.region
    if county is None:
        return SupplierCertification.objects.none(), ProductCertification.objects.none()
    suppliers = SupplierCertification.objects.filter(partner__region__code__startswith=county.prefix).select_related(
        "partner", "partner__region"
    )
    products = ProductCertification.objects.filter(partner__region__code__startswith=county.prefix).select_related(
        "partner", "product", "batch"
    )
    return suppliers, products


def certifications_of_staff(*, user):
    """What a supplier's staff see: their suppliers' certifications, with the reasons given."""
    from .models import ProductCertification, SupplierCertification

    return (
        SupplierCertification.objects.filter(partner__users=user).select_related("partner"),
        ProductCertification.objects.filter(partner__users=user).select_related("partner", "product", "batch"),
    )


def certifications_visible_to(*, user, model):
    """Certifications (with their evidence) this person may see: their supplier's, or their office's jurisdiction's."""
    if not user.is_authenticated:
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    held = set(user.groups.values_list("name", flat=True))
    condition = Q(pk__in=[])
    if roles.SUPPLIER in held:
        condition |= Q(partner__users=user)
    if held & {roles.COUNTY, roles.CITY} and user.region_id:
        condition |= Q(partner__region__code__startswith=user.region.prefix)
    return model.objects.filter(condition).distinct()
