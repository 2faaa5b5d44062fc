from django.dispatch import Signal

# Sent once, inside the transaction that marks an order placed on a unit's account as paid
# (kwargs: order). The reports domain turns it into purchase records.
unit_order_paid = Signal()
