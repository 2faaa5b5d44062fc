from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.admin import *  # noqa: F403
from oscar.apps.partner.admin import PartnerAdmin as OscarPartnerAdmin

from accounts.admin_site import boolean_column
from suppliers.models import REVIEWED_SUPPLIER_FACTS, CertificationRules, Partner
from suppliers.selectors import supplier_is_certified


class PartnerAdmin(OscarPartnerAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A certified supplier's facts change through the county office; only a superuser corrects them here, and
        # Django's admin log keeps the edit.
        if obj is not None and not request.user.is_superuser and supplier_is_certified(partner=obj):
            fields += list(REVIEWED_SUPPLIER_FACTS)
        return fields


admin.site.unregister(Partner)
admin.site.register(Partner, PartnerAdmin)


@admin.register(CertificationRules)
class CertificationRulesAdmin(admin.ModelAdmin):
    list_display = ["county", boolean_column("township_check", _("Township first check")), "notice_days"]
    raw_id_fields = ["county"]
