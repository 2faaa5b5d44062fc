import oscar.apps.dashboard.catalogue.apps as apps

from accounts.permissions import BACK_OFFICE, MANAGE_OWN_PRODUCTS, ReasonedDashboardPermissions


class CatalogueDashboardConfig(ReasonedDashboardPermissions, apps.CatalogueDashboardConfig):
    name = "shop.dashboard.catalogue"

    def ready(self):
        super().ready()
        # Oscar's class loader looks for dashboard views under a fork of the whole dashboard app; only this view
        # changes, so it is set here.
        from . import views

        self.product_createupdate_view = views.ProductCreateUpdateView

    def configure_permissions(self):
        # Oscar opens the product pages to whoever may enter the dashboard; here that is every back-office role, and
        # only supplier staff keep products (Oscar then shows them their own suppliers' products only).
        super().configure_permissions()
        self.permissions_map = {
            name: tuple([MANAGE_OWN_PRODUCTS] if group == [BACK_OFFICE] else group for group in permissions)
            if isinstance(permissions, tuple)
            else permissions
            for name, permissions in self.permissions_map.items()
        }
