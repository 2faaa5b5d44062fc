import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from oscar.apps.analytics import receivers as oscar_analytics
        from oscar.apps.catalogue.signals import product_viewed

        from .product_views import record_product_view

        # Oscar writes a counter row inside each product-page request; count views behind the request instead.
        product_viewed.disconnect(oscar_analytics.receive_product_view)
        product_viewed.connect(record_product_view, dispatch_uid="shop.record_product_view")
