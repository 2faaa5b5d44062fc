from django.urls import path

from . import views

app_name = "settlement-dashboard"

urlpatterns = [
    path("statements/", views.statement_list, name="statement-list"),
    path("statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("statements/<int:pk>/download.xlsx", views.statement_download, name="statement-download"),
    path("statements/<int:pk>/pay/", views.statement_pay, name="statement-pay"),
]
