"""The staff side of gift vouchers (提货券): a member of a unit redeems a code for a certified product."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from procurement import services
from procurement.dashboard.forms import RedeemForm
from suppliers.catalogue import certified_products

Product = get_model("catalogue", "Product")


@login_required
def voucher_redeem(request):
    products = Product.objects.filter(pk__in=certified_products().values("product")).order_by("title")
    form = RedeemForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            voucher = services.voucher_redeem(
                code=form.cleaned_data["code"], user=request.user, product=form.cleaned_data["product"]
            )
        except ValidationError as error:
            form.add_error("code", " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Voucher redeemed for %(product)s; the supplier will deliver it.") % {"product": voucher.product},
            )
            return redirect("procurement:voucher-redeem")
    return render(request, "procurement/voucher_redeem.html", {"form": form})
