"""The site's URLs and one page whose service refuses what was sent, as a view that does not catch it would."""

from django.urls import path

from accounts.errors import BadRequest
from config.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise BadRequest("这份文件已经导入过。")


urlpatterns = [path("refuse/", refuse), *site_urlpatterns]
