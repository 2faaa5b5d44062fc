"""The buyer's side of an order after placement: the list by state, cancelling, and confirming receipt."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model

from shop.order import statuses
from shop.order.selectors import buyer_order_list, buyer_order_tab_counts
from shop.order.services import OrderError, order_cancel_by_buyer, order_confirm_receipt

Order = get_model("order", "Order")


class OrderListView(LoginRequiredMixin, ListView):
    """The account's orders under the tabs buyers know (全部 / 待付款 / 待发货 / 待收货 / 已完成 / 退款售后)."""

    template_name = "oscar/customer/order/order_list.html"
    context_object_name = "orders"
    paginate_by = settings.OSCAR_ORDERS_PER_PAGE

    def get_tab(self):
        tab = self.request.GET.get("tab", statuses.ALL_TAB)
        return tab if tab in {key for key, _label, _codes in statuses.BUYER_TABS} else statuses.ALL_TAB

    def get_queryset(self):
        return buyer_order_list(user=self.request.user, tab=self.get_tab())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tab=self.get_tab(),
            tabs=buyer_order_tab_counts(user=self.request.user),
            active_tab="orders",
            page_title=_("My orders"),
        )
        return context


class BuyerOrderAction(LoginRequiredMixin, View):
    """A POST on one of the signed-in buyer's own orders; another person's order is not found."""

    http_method_names = ["post"]

    def post(self, request, order_number):
        order = get_object_or_404(Order, number=order_number, user=request.user)
        try:
            message = self.act(order)
        except OrderError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect("customer:order", order_number=order.number)


class OrderCancelView(BuyerOrderAction):
    def act(self, order):
        order, refund = order_cancel_by_buyer(
            order=order, user=self.request.user, reason=self.request.POST.get("reason")
        )
        if refund is not None:
            return _("The order is cancelled. The payment is being refunded to the account it came from.")
        if order.paid_at is not None:
            return _("The order is cancelled. The platform will return your payment by bank transfer.")
        return _("The order is cancelled.")


class OrderReceiveView(BuyerOrderAction):
    def act(self, order):
        order_confirm_receipt(order=order, user=self.request.user)
        return _("Thank you: receipt confirmed. You can now review the products.")
