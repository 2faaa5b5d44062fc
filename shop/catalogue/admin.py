from django.contrib import admin
from oscar.apps.catalogue.admin import *  # noqa: F403
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin
from oscar.core.loading import get_model

from suppliers.selectors import product_is_certified

Product = get_model("catalogue", "Product")


def facts_locked(request, obj):
    # A certified product's facts change through the county office; only a superuser corrects them here, and
    # Django's admin log keeps the edit.
    return obj is not None and not request.user.is_superuser and product_is_certified(product=obj)


class ProductAdmin(OscarProductAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if facts_locked(request, obj):
            fields += ["title", "origin", "specification", "sales_unit"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if facts_locked(request, obj) else super().get_prepopulated_fields(request, obj)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if facts_locked(request, obj):
            return [inline for inline in inlines if inline is not CategoryInline]  # noqa: F405
        return inlines


admin.site.unregister(Product)
admin.site.register(Product, ProductAdmin)
