from django.dispatch import Signal

# Sent inside the transaction that records a refund the gateway confirmed; receivers get `refund`.
refund_succeeded = Signal()
