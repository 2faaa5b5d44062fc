from oscar.apps.partner.strategy import Default as OscarDefault
from oscar.apps.partner.strategy import Selector as OscarSelector

from suppliers.availability import NEVER_CERTIFIED, PRODUCT_LAPSED, SUPPLIER_LAPSED, NotCertified
from suppliers.models import CertificationStatus, ProductCertification, SupplierCertification


class Selector(OscarSelector):
    def strategy(self, request=None, user=None, **kwargs):
        return CertifiedOnly(request)


class CertifiedOnly(OscarDefault):
    """Oscar's default strategy, except that only validly certified products from certified suppliers are sold."""

    def availability_policy(self, product, stockrecord):
        reason = self.uncertified_reason(product, stockrecord)
        if reason:
            return NotCertified(reason)
        return super().availability_policy(product, stockrecord)

    def uncertified_reason(self, product, stockrecord):
        # Listing queries may annotate `is_sellable` so that cards need no query of their own.
        if getattr(product, "is_sellable", None) is True:
            return None
        if stockrecord is None:
            return None
        if not SupplierCertification.objects.valid().filter(partner_id=stockrecord.partner_id).exists():
            return SUPPLIER_LAPSED
        if ProductCertification.objects.valid().filter(product=product).exists():
            return None
        lapsed = ProductCertification.objects.filter(
            product=product,
            status__in=[CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED, CertificationStatus.REVOKED],
        ).exists()
        return PRODUCT_LAPSED if lapsed else NEVER_CERTIFIED
