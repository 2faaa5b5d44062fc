import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save
        from oscar.apps.customer.receivers import receive_product_view as update_browsing_history
        from oscar.core.loading import get_model

        from .product_views import record_product_view
        from .signals import picture_changed, product_page_viewed

        product_page_viewed.connect(update_browsing_history, dispatch_uid="shop.browsing_history")
        product_page_viewed.connect(record_product_view, dispatch_uid="shop.record_product_view")

        ProductImage = get_model("catalogue", "ProductImage")
        post_save.connect(picture_changed, sender=ProductImage, dispatch_uid="shop.picture_saved")
        post_delete.connect(picture_changed, sender=ProductImage, dispatch_uid="shop.picture_deleted")
