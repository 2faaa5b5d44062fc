app_name = "reports-dashboard"

urlpatterns = []
