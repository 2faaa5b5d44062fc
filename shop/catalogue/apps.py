import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save
        from oscar.core.loading import get_model

        from .signals import category_changed, picture_changed

        ProductImage = get_model("catalogue", "ProductImage")
        post_save.connect(picture_changed, sender=ProductImage, dispatch_uid="shop.picture_saved")
        post_delete.connect(picture_changed, sender=ProductImage, dispatch_uid="shop.picture_deleted")
        Category = get_model("catalogue", "Category")
        post_save.connect(category_changed, sender=Category, dispatch_uid="shop.menu_category_saved")
        post_delete.connect(category_changed, sender=Category, dispatch_uid="shop.menu_category_deleted")

        from .richtext import connect_sanitisers

        connect_sanitisers()
