import oscar.apps.dashboard.orders.apps as apps
from django.urls import path

from accounts.permissions import (
    CONFIRM_TRANSFERS,
    FULFIL_OWN_PARCELS,
    REFUND_ORDERS,
    VIEW_ALL_ORDERS,
    ReasonedDashboardPermissions,
)


class OrdersDashboardConfig(ReasonedDashboardPermissions, apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"
    default_permissions = [VIEW_ALL_ORDERS]

    def configure_permissions(self):
        # Oscar's order pages show whole orders (every supplier's lines, the buyer's address), so they are for the
        # platform's operators; supplier staff use the fulfilment pages, which show only their own lines.
        self.permissions_map = {name: [VIEW_ALL_ORDERS] for name in super_url_names()}
        self.permissions_map.update(
            {
                "order-fulfilment-list": [FULFIL_OWN_PARCELS],
                "order-fulfilment-detail": [FULFIL_OWN_PARCELS],
                "order-fulfilment-ship": [FULFIL_OWN_PARCELS],
                "order-fulfilment-deliver": [FULFIL_OWN_PARCELS],
                "order-payments": ([CONFIRM_TRANSFERS], [REFUND_ORDERS]),
                "order-transfer-received": [CONFIRM_TRANSFERS],
                "order-refund": [REFUND_ORDERS],
                "order-refund-transfer": [REFUND_ORDERS],
            }
        )

    def ready(self):
        super().ready()
        from shop.dashboard.orders import views

        self.order_list_view = views.OrderListView

    def get_urls(self):
        from shop.dashboard.orders import views

        urls = [
            path("fulfilment/", views.fulfilment_list, name="order-fulfilment-list"),
            path("fulfilment/<int:pk>/", views.fulfilment_detail, name="order-fulfilment-detail"),
            path("fulfilment/<int:pk>/ship/", views.fulfilment_ship, name="order-fulfilment-ship"),
            path("fulfilment/<int:pk>/deliver/", views.fulfilment_deliver, name="order-fulfilment-deliver"),
            path("payments/", views.payments, name="order-payments"),
            path("payments/<str:number>/received/", views.transfer_received, name="order-transfer-received"),
            path("payments/<str:number>/refund/", views.refund, name="order-refund"),
            path("payments/<str:number>/refund-transfer/", views.refund_transfer, name="order-refund-transfer"),
        ]
        return self.post_process_urls(urls) + super().get_urls()


def super_url_names():
    return [
        "order-list",
        "order-stats",
        "order-detail",
        "order-detail-note",
        "order-line-detail",
        "order-shipping-address",
    ]
