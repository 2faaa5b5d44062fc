"""Domain errors of reserved-share filings, bulletins and group purchases, each with a message a user can read."""

from django.core.exceptions import ValidationError

from accounts.errors import BadRequest, Refusal
from accounts.workflow import IllegalStatusChange


class ProcurementError(Refusal, ValidationError):
    pass


class NotAllowed(ProcurementError):
    """The person may not do this to this filing, bulletin or voucher."""


class FilingRefused(ProcurementError, BadRequest):
    """The filing's figures or canteen situation break a rule; nothing was saved."""


class IllegalFilingChange(ProcurementError, IllegalStatusChange):
    """The filing cannot move from its status to the one asked for."""


class VoucherRefused(ProcurementError, BadRequest):
    """The voucher code is unknown, used, or does not cover this product."""
