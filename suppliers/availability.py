from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.availability import Unavailable


class NotCertified(Unavailable):
    """Shown instead of the stock message when the product may not be sold."""

    code = "not-certified"

    def __init__(self, reason):
        self.message = reason

    def is_purchase_permitted(self, quantity):
        return False, self.message


NEVER_CERTIFIED = _("This product has not been certified as a poverty-alleviation product and cannot be bought.")
PRODUCT_LAPSED = _(
    "This product's certification has expired or been revoked; it cannot be bought until it is certified again."
)
SUPPLIER_LAPSED = _("The supplier's certification is not valid at present, so its products cannot be bought.")
CHANGE_UNDER_REVIEW = _("Sales suspended: a change to the certified facts is awaiting review.")
