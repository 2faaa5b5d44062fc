import oscar.apps.dashboard.orders.apps as apps
from django.urls import path

STAFF = ["is_staff"]
# Supplier staff are recognised by the suppliers they work for; the views only ever look inside those.
SUPPLIER_STAFF = ["is_authenticated"]


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"

    def configure_permissions(self):
        # Oscar shows a supplier every line of an order it has a part in; suppliers use the fulfilment pages instead,
        # which show only their own lines.
        self.permissions_map = {name: (STAFF,) for name in super_url_names()}
        self.permissions_map.update(
            {
                "order-fulfilment-list": (STAFF, SUPPLIER_STAFF),
                "order-fulfilment-detail": (STAFF, SUPPLIER_STAFF),
                "order-fulfilment-ship": (STAFF, SUPPLIER_STAFF),
                "order-fulfilment-deliver": (STAFF, SUPPLIER_STAFF),
                "order-payments": (STAFF,),
                "order-transfer-received": (STAFF,),
                "order-refund": (STAFF,),
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
