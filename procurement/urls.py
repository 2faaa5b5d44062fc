from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("redeem/", views.voucher_redeem, name="voucher-redeem"),
]
