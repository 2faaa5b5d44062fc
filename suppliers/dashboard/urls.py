app_name = "suppliers-dashboard"

urlpatterns = []
