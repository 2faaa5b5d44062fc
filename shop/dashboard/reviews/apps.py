import oscar.apps.dashboard.reviews.apps as apps

from accounts.permissions import MODERATE_REVIEWS, ReasonedDashboardPermissions


class ReviewsDashboardConfig(ReasonedDashboardPermissions, apps.ReviewsDashboardConfig):
    name = "shop.dashboard.reviews"
    default_permissions = [MODERATE_REVIEWS]

    def configure_permissions(self):
        # Oscar opens these pages to staff; here approving, rejecting and deleting buyers' reviews is the platform
        # operator's (and the administrator's) job, whatever the staff flag says.
        self.permissions_map = dict.fromkeys(("reviews-list", "reviews-update", "reviews-delete"), [MODERATE_REVIEWS])
