from django.urls import path

from . import views

app_name = "suppliers-dashboard"

urlpatterns = [
    path("certifications/", views.certification_list, name="certification-list"),
    path("certifications/apply/", views.product_apply, name="product-apply"),
    path("certifications/apply/supplier/", views.supplier_apply, name="supplier-apply"),
    path("certifications/record/", views.record_certificate, name="record-certificate"),
    path("profile/", views.supplier_profile, name="profile"),
    path("changes/", views.change_request_list, name="change-request-list"),
    path("changes/<int:pk>/<str:decision>/", views.change_request_decide, name="change-request-decide"),
    path(
        "certifications/<str:kind>/<int:pk>/files/<str:field>/",
        views.certification_file,
        name="certification-file",
    ),
    path(
        "certifications/<str:kind>/<int:pk>/<str:decision>/",
        views.certification_decide,
        name="certification-decide",
    ),
]
