import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "shop.dashboard.catalogue"

    def ready(self):
        super().ready()
        # Oscar's dashboard app is not forked, so get_class would not find this module's view; it is named here.
        from .views import ProductCreateUpdateView

        self.product_createupdate_view = ProductCreateUpdateView
