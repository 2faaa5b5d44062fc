from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.admin import *  # noqa: F403
from oscar.apps.basket.admin import BasketAdmin as OscarBasketAdmin
from oscar.core.loading import get_model

from accounts.admin_site import boolean_column

Basket = get_model("basket", "Basket")


class BasketAdmin(OscarBasketAdmin):
    # Oscar's columns headed in the page's language (Oscar's are named after its methods: "Num lines", "Contains a
    # voucher", "Time before submit"), the voucher flag as Django's icon with 是/否 rather than True/False, and the
    # line count and the flag read with the list instead of a query or two per basket.
    list_display = (
        "id",
        "owner",
        "status",
        "line_count",
        boolean_column("holds_voucher", _("Contains a voucher")),
        "date_created",
        "date_submitted",
        "time_before_submitting",
    )

    def get_queryset(self, request):
        vouchers = Basket.vouchers.through.objects.filter(basket_id=OuterRef("pk"))
        return super().get_queryset(request).annotate(line_total=Count("lines"), holds_voucher=Exists(vouchers))

    @admin.display(description=_("Lines"), ordering="line_total")
    def line_count(self, basket):
        return basket.line_total

    @admin.display(description=_("Time before submitting"))
    def time_before_submitting(self, basket):
        return basket.time_before_submit


admin.site.unregister(Basket)
admin.site.register(Basket, BasketAdmin)
