from oscar.apps.partner.strategy import Default as OscarDefault
from oscar.apps.partner.strategy import Selector as OscarSelector

from suppliers.availability import (
    CHANGE_UNDER_REVIEW,
    NEVER_CERTIFIED,
    PRODUCT_LAPSED,
    SUPPLIER_LAPSED,
    NotCertified,
)
from suppliers.models import CertificationStatus, ProductCertification, SupplierCertification
from suppliers.selectors import change_under_review, sellable_certifications


class Selector(OscarSelector):
    def strategy(self, request=None, user=None, **kwargs):
        return CertifiedOnly(request)


class CertifiedOnly(OscarDefault):
    """Oscar's default strategy, except that only validly certified products from certified suppliers are sold.

    One instance serves one request: what it learns about a product (its stock record, whether it may be sold) is
    kept for the rest of the request, so a page that shows a product in several places asks the database once.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self._stockrecords = {}
        self._certifications = {}

    def select_stockrecord(self, product):
        if product.pk not in self._stockrecords:
            self._stockrecords[product.pk] = super().select_stockrecord(product)
        return self._stockrecords[product.pk]

    def fetch_for_line(self, line, stockrecord=None):
        # The line already holds the stock record it was added with; there is no need to look it up again.
        stockrecord = stockrecord or line.stockrecord
        if getattr(line, "product_sellable", None) is True:
            # The basket's line query says so already (shop.basket.models.LineManager).
            line.product.is_sellable = True
        elif line.product_id not in self._certifications and line.basket_id is not None:
            # The basket's lines are loaded once per request (Oscar's all_lines()); ask for all of them at once.
            self.remember_sellable([other.product_id for other in line.basket.all_lines()])
        return self.fetch_for_product(line.product, stockrecord)

    def remember_sellable(self, product_ids):
        """Find out in at most one query which of these products may be sold today, and by which certification."""
        product_ids = set(product_ids) - set(self._certifications)
        if not product_ids:
            return
        found = dict.fromkeys(product_ids)
        for certification in sellable_certifications(product_ids=product_ids):
            if found[certification.product_id] is None:
                found[certification.product_id] = certification
        self._certifications.update(found)

    def sellable_certification(self, product):
        """The certification that lets this product be sold today, or None when it may not be sold."""
        self.remember_sellable([product.pk])
        return self._certifications[product.pk]

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
        if self.sellable_certification(product) is not None:
            return None
        if not SupplierCertification.objects.valid().filter(partner_id=stockrecord.partner_id).exists():
            return SUPPLIER_LAPSED
        if change_under_review(product_id=product.pk, partner_id=stockrecord.partner_id):
            return CHANGE_UNDER_REVIEW
        if ProductCertification.objects.valid().filter(product=product).exists():
            return None
        lapsed = ProductCertification.objects.filter(
            product=product,
            status__in=[CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED, CertificationStatus.REVOKED],
        ).exists()
        return PRODUCT_LAPSED if lapsed else NEVER_CERTIFIED
