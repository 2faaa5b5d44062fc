from django.urls import path

from shop.payment.webhooks import stripe_webhook
from shop.registration import RegistrationView

app_name = "shop"

urlpatterns = [
    path("payment/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    # Served here, ahead of Oscar's own pattern for the same address (reverse("customer:register") still finds it).
    path("accounts/register/", RegistrationView.as_view(), name="register"),
]
