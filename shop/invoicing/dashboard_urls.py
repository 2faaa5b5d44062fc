from django.urls import path

from shop.invoicing import views

app_name = "invoicing-dashboard"

urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("<int:pk>/issue/", views.invoice_issue, name="invoice-issue"),
]
