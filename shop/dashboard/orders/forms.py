from oscar.apps.dashboard.orders import forms as oscar_forms
from oscar.apps.dashboard.orders.forms import *  # noqa: F403

from shop.order.statuses import ORDER_LABELS


def labelled(choices):
    """Status choices with the label staff read in place of the stored code."""
    return [(code, ORDER_LABELS.get(code, label)) for code, label in choices]


class OrderSearchForm(oscar_forms.OrderSearchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = labelled(self.fields["status"].choices)


class OrderStatusForm(oscar_forms.OrderStatusForm):
    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = labelled(self.fields["new_status"].choices)
