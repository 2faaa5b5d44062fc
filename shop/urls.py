from django.urls import path

from shop.payment.webhooks import stripe_webhook
from shop.registration import RegistrationView, SignInOrRegisterView

app_name = "shop"

urlpatterns = [
    path("payment/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    # Served here, ahead of Oscar's own patterns for the same addresses (reverse("customer:…") still finds them).
    path("accounts/login/", SignInOrRegisterView.as_view(), name="login"),
    path("accounts/register/", RegistrationView.as_view(), name="register"),
]
