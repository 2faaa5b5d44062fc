"""Keep the search index in step with what buyers may see: products, prices and stock, certifications."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model

from suppliers.models import ChangeRequest, ProductCertification, SupplierCertification

from .backends import get_backend
from .indexing import is_paused

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def reindex(product_ids):
    if not is_paused():
        get_backend().update(set(product_ids))


def product_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.pk])


def product_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.product_id])


def partner_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        partner_id = instance.partner_id if isinstance(instance, SupplierCertification) else instance.pk
        reindex(StockRecord.objects.filter(partner_id=partner_id).values_list("product_id", flat=True))


def change_request_changed(sender, instance, raw=False, **kwargs):
    # A request for the supplier itself suspends (and its decision resumes) every product it sells.
    if raw:
        return
    if instance.product_id:
        reindex([instance.product_id])
    else:
        reindex(StockRecord.objects.filter(partner_id=instance.partner_id).values_list("product_id", flat=True))


def category_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex(
            ProductCategory.objects.filter(category__path__startswith=instance.path).values_list(
                "product_id", flat=True
            )
        )


def connect():
    uid = "search.reindex"
    post_save.connect(product_changed, sender=Product, dispatch_uid=uid)
    post_delete.connect(product_changed, sender=Product, dispatch_uid=uid)
    # Pictures are not searched, but the listings' cached cards are keyed on each product's index row (search.listing).
    for model in (StockRecord, ProductCategory, ProductCertification, ProductImage):
        post_save.connect(product_row_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(product_row_changed, sender=model, dispatch_uid=uid)
    for model in (Partner, SupplierCertification):
        post_save.connect(partner_changed, sender=model, dispatch_uid=uid)
    post_save.connect(change_request_changed, sender=ChangeRequest, dispatch_uid=uid)
    post_save.connect(category_changed, sender=Category, dispatch_uid=uid)
