from django.urls import path

from shop.invoicing import views

app_name = "invoicing-dashboard"

urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("<int:pk>/issue/", views.invoice_issue, name="invoice-issue"),
    path("unit-orders/", views.unit_order_list, name="unit-order-list"),
    path("unit-orders/overdue/", views.overdue_payments, name="overdue-payments"),
    path("unit-orders/<int:pk>/", views.unit_order_detail, name="unit-order-detail"),
    path("unit-orders/<int:pk>/accept/", views.unit_order_accept, name="unit-order-accept"),
    path("unit-orders/<int:pk>/voucher/", views.unit_order_voucher, name="unit-order-voucher"),
    path("unit-orders/<int:pk>/confirm/", views.unit_order_confirm, name="unit-order-confirm"),
    path("unit-orders/<int:pk>/files/<str:field>/", views.unit_order_file, name="unit-order-file"),
]
