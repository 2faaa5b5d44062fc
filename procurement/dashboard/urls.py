from django.urls import path, register_converter

from procurement.dashboard import views


class FilingDecision:
    regex = "confirm|return"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FilingDecision, "filing_decision")

app_name = "procurement-dashboard"

urlpatterns = [
    path("filings/", views.filing_list, name="filing-list"),
    path("filings/<int:pk>/", views.filing_detail, name="filing-detail"),
    path("filings/<int:pk>/<filing_decision:step>/", views.filing_decide, name="filing-decide"),
    path("execution/", views.execution, name="execution"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/download.xlsx", views.bulletin_download, name="bulletin-download"),
    path("bulletins/<int:pk>/send/", views.bulletin_send, name="bulletin-send"),
    path("vouchers/", views.voucher_list, name="voucher-list"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher-detail"),
    path("orders/<str:number>/recipients/", views.order_recipients, name="order-recipients"),
]
