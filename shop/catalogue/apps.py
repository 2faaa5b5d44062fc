import oscar.apps.catalogue.apps as apps

LISTING_MODELS = [
    ("catalogue", "Product"),
    ("catalogue", "ProductImage"),
    ("catalogue", "ProductCategory"),
    ("catalogue", "Category"),
    ("partner", "StockRecord"),
    ("partner", "Partner"),
    ("partner", "ProductCertification"),
    ("partner", "SupplierCertification"),
]


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save
        from oscar.apps.analytics import receivers as oscar_analytics
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.core.loading import get_model

        # Oscar's currency filter formats each amount through Babel anew; the same amounts are remembered instead.
        from oscar.templatetags import currency_filters

        from .category_cache import categories_changed
        from .currency import format_currency
        from .product_views import record_product_view

        currency_filters.format_currency = format_currency

        # Oscar writes a counter row inside each product-page request; count views behind the request instead.
        product_viewed.disconnect(oscar_analytics.receive_product_view)
        product_viewed.connect(record_product_view, dispatch_uid="shop.record_product_view")

        # The category menu is cached on every page; a change to any category starts a new cache version.
        Category = get_model("catalogue", "Category")
        post_save.connect(categories_changed, sender=Category, dispatch_uid="shop.categories_changed")
        post_delete.connect(categories_changed, sender=Category, dispatch_uid="shop.categories_changed")

        # Cached listings and product cards: anything a card or a search result shows starts a new version.
        from oscar.apps.order.signals import order_placed

        from .listing_cache import listing_changed

        for label, model in LISTING_MODELS:
            sender = get_model(label, model)
            post_save.connect(listing_changed, sender=sender, dispatch_uid=f"shop.listing_changed.save.{model}")
            post_delete.connect(listing_changed, sender=sender, dispatch_uid=f"shop.listing_changed.delete.{model}")
        # Oscar allocates stock with an UPDATE, which sends no post_save: an order changes what cards say of stock.
        order_placed.connect(listing_changed, dispatch_uid="shop.listing_changed.order")

        from .richtext import connect_sanitisers

        connect_sanitisers()
