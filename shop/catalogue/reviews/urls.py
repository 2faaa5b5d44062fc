from django.urls import path

from shop.catalogue.reviews import views

app_name = "review-answers"

urlpatterns = [
    path("", views.supplier_review_list, name="review-list"),
    path("<int:pk>/answer/", views.supplier_review_answer, name="review-answer"),
]
