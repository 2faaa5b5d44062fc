"""Mounted at /shop/accounts/ before Oscar's own patterns, which these replace for the same addresses and names."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.AccountAuthView.as_view(), name="login"),
    path("register/", views.AccountRegistrationView.as_view(), name="register"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
    path("alerts/cancel/key/<str:key>/", views.ProductAlertCancelView.as_view(), name="alerts-cancel-by-key"),
    path("alerts/cancel/<int:pk>/", login_required(views.ProductAlertCancelView.as_view()), name="alerts-cancel-by-pk"),
]
