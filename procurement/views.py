"""The staff side of gift vouchers (提货券): a member of a unit redeems a code for a certified product."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts import throttling
from procurement import services
from procurement.dashboard.forms import RedeemForm
from suppliers.catalogue import certified_products

Product = get_model("catalogue", "Product")


@login_required
def voucher_redeem(request):
    products = Product.objects.filter(pk__in=certified_products().values("product")).order_by("title")
    form = RedeemForm(request.POST or None, products=products)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = settings.VOUCHER_REDEEM_FAILURES_PER_HOUR
        if throttling.exceeded("voucher-redeem", request.user.pk, limit):
            # Codes are not guessable (60 random bits), and trying them is also kept to a handful an hour.
            form.add_error("code", _("Too many wrong voucher codes from your account; please try again in an hour."))
            return render(request, "procurement/voucher_redeem.html", {"form": form}, status=429)
        try:
            voucher = services.voucher_redeem(
                code=form.cleaned_data["code"], user=request.user, product=form.cleaned_data["product"]
            )
        except ValidationError as error:
            throttling.count("voucher-redeem", request.user.pk)
            form.add_error("code", " ".join(error.messages))
            status = 400
        else:
            messages.success(
                request,
                _("Voucher redeemed for %(product)s; the supplier will deliver it.") % {"product": voucher.product},
            )
            return redirect("procurement:voucher-redeem")
    return render(request, "procurement/voucher_redeem.html", {"form": form}, status=status)
