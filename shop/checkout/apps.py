import oscar.apps.checkout.apps as apps
from django.contrib.auth.decorators import login_required
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.pay_view = get_class("checkout.views", "PayView")
        self.recipients_template_view = get_class("checkout.views", "recipients_template")

    def get_urls(self):
        urls = super().get_urls()
        urls.append(path("pay/<str:number>/", login_required(self.pay_view.as_view()), name="pay"))
        urls.append(
            path(
                "recipients-template.xlsx",
                login_required(self.recipients_template_view),
                name="recipients-template",
            )
        )
        return urls
