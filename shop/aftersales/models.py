"""After-sales claims on an order line: the buyer asks, the supplier answers, the platform decides a dispute."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workflow import IllegalStatusChange, StatusChangeRecord, StatusMachine
from suppliers.private_files import private_storage, random_name


def claim_photo_name(instance, filename):
    return random_name("claims", filename)


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the supplier")
    DISPUTED = "disputed", _("Awaiting the platform's decision")
    REFUNDING = "refunding", _("Refund under way")
    REFUNDED = "refunded", _("Refunded")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClaimReason(models.TextChoices):
    QUALITY = "quality", _("Quality problem (spoiled, not fresh)")
    DAMAGED = "damaged", _("Damaged in transit")
    MISSING = "missing", _("Missing items")
    WRONG_ITEM = "wrong_item", _("Wrong item sent")


class ClaimRemedy(models.TextChoices):
    REFUND = "refund", _("Refund only")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    RESHIP = "reship", _("Send again")


# Claims that still wait for someone; a line has at most one of them.
OPEN = (ClaimStatus.SUBMITTED, ClaimStatus.DISPUTED, ClaimStatus.REFUNDING)

CLAIM_PIPELINE = {
    ClaimStatus.SUBMITTED: (
        ClaimStatus.REFUNDING,
        ClaimStatus.RESOLVED,
        ClaimStatus.DISPUTED,
        ClaimStatus.DISMISSED,
        ClaimStatus.WITHDRAWN,
    ),
    ClaimStatus.DISPUTED: (ClaimStatus.REFUNDING, ClaimStatus.RESOLVED, ClaimStatus.DISMISSED, ClaimStatus.WITHDRAWN),
    ClaimStatus.REFUNDING: (ClaimStatus.REFUNDED,),
    ClaimStatus.REFUNDED: (),
    ClaimStatus.RESOLVED: (),
    ClaimStatus.DISMISSED: (),
    ClaimStatus.WITHDRAWN: (),
}


class InvalidClaimTransition(IllegalStatusChange):
    """A move that the claim workflow does not allow."""


class Claim(StatusMachine, models.Model):
    TRANSITIONS = CLAIM_PIPELINE
    illegal_status_change = InvalidClaimTransition
    illegal_status_change_message = _("A claim that is “%(old)s” cannot become “%(new)s”.")

    order = models.ForeignKey("order.Order", verbose_name=_("Order"), on_delete=models.PROTECT, related_name="claims")
    line = models.ForeignKey(
        "order.Line", verbose_name=_("Order line"), on_delete=models.PROTECT, related_name="claims"
    )
    partner = models.ForeignKey(
        "partner.Partner", verbose_name=_("Supplier"), on_delete=models.PROTECT, related_name="claims"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Buyer"), on_delete=models.PROTECT, related_name="claims"
    )
    reason = models.CharField(_("Problem"), max_length=16, choices=ClaimReason.choices)
    description = models.TextField(_("What happened"), max_length=1000)
    remedy = models.CharField(_("Requested remedy"), max_length=16, choices=ClaimRemedy.choices)
    amount = models.DecimalField(_("Amount to refund"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED, db_index=True
    )
    created_at = models.DateTimeField(_("Opened at"), default=timezone.now)
    answer_due = models.DateTimeField(_("Supplier to answer by"))
    supplier_answer = models.TextField(_("Supplier's answer"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    decision = models.TextField(_("Platform's decision"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    refund = models.ForeignKey(
        "payment.Refund", verbose_name=_("Refund"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("After-sales claim")
        verbose_name_plural = _("After-sales claims")
        permissions = [
            ("answer_claims", "Answer after-sales claims on one's own suppliers' lines"),
            ("decide_claims", "Decide disputed and unanswered after-sales claims"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(status__in=OPEN), name="one_open_claim_per_line"
            )
        ]

    def __str__(self):
        return f"{self.order.number} · {self.line.title}"

    def record_status_change(self, *, old, new, by, reason):
        ClaimStatusChange.objects.create(claim=self, old_status=old, new_status=new, changed_by=by, reason=reason)

    @property
    def is_overdue(self):
        return self.status == ClaimStatus.SUBMITTED and self.answer_due < timezone.now()


class ClaimPhoto(models.Model):
    """A photo of the problem, verified as a real JPEG or PNG and kept in private storage."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("After-sales claim"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("Photo"), storage=private_storage, upload_to=claim_photo_name, max_length=200)
    file_name = models.CharField(_("File name"), max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Claim photo")
        verbose_name_plural = _("Claim photos")

    def __str__(self):
        return self.file_name or self.file.name


class ClaimStatusChange(StatusChangeRecord):
    """One move of a claim: who made it, when, from what to what, and why (no "from" when it was opened)."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("After-sales claim"), on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(_("From"), max_length=16, choices=ClaimStatus.choices, blank=True)
    new_status = models.CharField(_("To"), max_length=16, choices=ClaimStatus.choices)

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("Claim status change")
        verbose_name_plural = _("Claim status changes")

    def __str__(self):
        return f"{self.get_old_status_display()} → {self.get_new_status_display()}"
