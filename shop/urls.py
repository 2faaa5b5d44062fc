from django.urls import path

from shop.payment.webhooks import stripe_webhook

app_name = "shop"

urlpatterns = [
    path("payment/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]
