from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.admin import *  # noqa: F403
from oscar.apps.catalogue.admin import AttributeInline as OscarAttributeInline
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin
from oscar.apps.catalogue.admin import ProductClassAdmin as OscarProductClassAdmin
from oscar.core.loading import get_model

from accounts.admin_site import boolean_column
from suppliers.selectors import product_is_certified

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")


def facts_locked(request, obj):
    # A certified product's facts change through the county office; only a superuser corrects them here, and
    # Django's admin log keeps the edit.
    return obj is not None and not request.user.is_superuser and product_is_certified(product=obj)


class AttributeInline(OscarAttributeInline):
    # Oscar leaves these two without a name: their columns were headed "Value file" and "Value image".
    labels = {"value_file": _("File"), "value_image": _("Image")}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.labels:
            formfield.label = self.labels[db_field.name]
        return formfield


class ProductAdmin(OscarProductAdmin):
    inlines = [AttributeInline, CategoryInline, ProductRecommendationInline]  # noqa: F405

    @admin.display(description=_("Attributes"))
    def attribute_summary(self, obj):
        return obj.attribute_summary

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


class ProductClassAdmin(OscarProductClassAdmin):
    list_display = [
        "name",
        boolean_column("requires_shipping", _("Requires shipping?")),
        boolean_column("track_stock", _("Track stock levels?")),
    ]


admin.site.unregister(ProductClass)
admin.site.register(ProductClass, ProductClassAdmin)
