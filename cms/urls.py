from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("following/", views.following, name="following"),
    path("following/<str:code>/follow/", views.follow, name="follow"),
    path("following/<str:code>/unfollow/", views.unfollow, name="unfollow"),
]
