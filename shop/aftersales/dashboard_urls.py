from django.urls import path

from shop.aftersales import views

app_name = "aftersales-dashboard"

urlpatterns = [
    path("", views.dashboard_claim_list, name="claim-list"),
    path("<int:pk>/", views.dashboard_claim_detail, name="claim-detail"),
    path("<int:pk>/answer/", views.dashboard_claim_answer, name="claim-answer"),
    path("<int:pk>/decide/", views.dashboard_claim_decide, name="claim-decide"),
    path("<int:pk>/refunded/", views.dashboard_claim_refunded, name="claim-refunded"),
]
