from django.dispatch import receiver

from shop.aftersales.services import claim_refund_confirmed
from shop.payment.signals import refund_succeeded


@receiver(refund_succeeded)
def move_claim_to_refunded(sender, refund, **kwargs):
    claim_refund_confirmed(refund=refund)
