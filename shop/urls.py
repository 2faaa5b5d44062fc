from django.urls import path

from shop.catalogue.reviews.views import review_photo
from shop.order import views as order_views
from shop.payment.webhooks import stripe_webhook

app_name = "shop"

# Mounted at /shop/ before Oscar's patterns: the order list replaces Oscar's at the same address (customer:order-list).
urlpatterns = [
    path("payment/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("accounts/orders/", order_views.OrderListView.as_view(), name="order-list"),
    path("accounts/orders/<str:order_number>/cancel/", order_views.OrderCancelView.as_view(), name="order-cancel"),
    path("accounts/orders/<str:order_number>/receive/", order_views.OrderReceiveView.as_view(), name="order-receive"),
    path("reviews/photos/<int:pk>/", review_photo, name="review-photo"),
]
