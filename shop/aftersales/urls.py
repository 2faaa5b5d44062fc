from django.urls import path

from shop.aftersales import views

app_name = "aftersales"

urlpatterns = [
    path("lines/<int:line_id>/claim/", views.claim_create, name="claim-create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim-withdraw"),
    path("photos/<int:pk>/", views.claim_photo, name="claim-photo"),
]
