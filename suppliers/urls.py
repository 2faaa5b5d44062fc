from django.urls import path

from . import views

app_name = "suppliers"

urlpatterns = [
    path("", views.supplier_list, name="list"),
    path("<int:pk>/", views.supplier_detail, name="detail"),
    path("catalogue/", views.product_catalogue, name="catalogue"),
    path("notice/", views.public_notice, name="notice"),
    path("notice/<int:pk>/objection/", views.objection_new, name="objection"),
]
