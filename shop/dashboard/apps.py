import oscar.apps.dashboard.apps as apps

from accounts.permissions import BACK_OFFICE, ReasonedDashboardPermissions


class DashboardConfig(ReasonedDashboardPermissions, apps.DashboardConfig):
    name = "shop.dashboard"
    # This app's URL decorator is also applied to every dashboard app it includes; those guard their own views.
    default_permissions = None

    def configure_permissions(self):
        # Oscar also lets in anyone who is staff; here staff status opens nothing by itself.
        self.permissions_map = {"index": [BACK_OFFICE]}
