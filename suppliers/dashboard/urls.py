from django.urls import path

from . import views

app_name = "suppliers-dashboard"

urlpatterns = [
    path("certifications/", views.certification_list, name="certification-list"),
    path("certifications/apply/", views.product_apply, name="product-apply"),
    path("certifications/apply/supplier/", views.supplier_apply, name="supplier-apply"),
    path("certifications/record/", views.record_certificate, name="record-certificate"),
    path("profile/", views.supplier_profile, name="profile"),
    path("certifications/township/", views.township_queue, name="township-queue"),
    path(
        "certifications/<str:kind>/<int:pk>/township/<str:decision>/",
        views.township_decide,
        name="township-decide",
    ),
    path("certifications/<str:kind>/<int:pk>/revoke/", views.certification_revoke, name="certification-revoke"),
    path("certifications/<str:kind>/<int:pk>/renew/", views.certification_renew, name="certification-renew"),
    path("batches/", views.batch_list, name="batch-list"),
    path("batches/<int:pk>/publish/", views.batch_publish, name="batch-publish"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection-answer"),
    path("linkage/", views.household_linkage, name="household-linkage"),
    path("prices/", views.price_list, name="price-list"),
    path("prices/<int:pk>/<str:decision>/", views.price_decide, name="price-decide"),
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
