import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save
        from oscar.apps.analytics import receivers as oscar_analytics
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.core.loading import get_model

        from .category_cache import categories_changed
        from .product_views import record_product_view

        # Oscar writes a counter row inside each product-page request; count views behind the request instead.
        product_viewed.disconnect(oscar_analytics.receive_product_view)
        product_viewed.connect(record_product_view, dispatch_uid="shop.record_product_view")

        # The category menu is cached on every page; a change to any category starts a new cache version.
        Category = get_model("catalogue", "Category")
        post_save.connect(categories_changed, sender=Category, dispatch_uid="shop.categories_changed")
        post_delete.connect(categories_changed, sender=Category, dispatch_uid="shop.categories_changed")
