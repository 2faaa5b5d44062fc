from django.urls import path

from shop.invoicing import views

app_name = "invoicing"

urlpatterns = [
    path("orders/<str:number>/request/", views.invoice_request, name="request"),
    path("<int:pk>/file/", views.invoice_file, name="file"),
]
