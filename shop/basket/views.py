from django.urls import reverse
from oscar.apps.basket import views
from oscar.apps.basket.views import *  # noqa: F403

from shop.basket.models import load_line_details


class BasketView(views.BasketView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The template reads the management form from here: `formset.management_form` in a template is first tried as
        # `formset["management_form"]`, which builds every line's form only to find no such item, on every visit,
        # though a cached page of lines never draws them.
        if not self.request.basket.is_empty:  # the form is only drawn for lines
            context["management_form"] = context["formset"].management_form
        if "saved_formset" in context:
            # The lines saved for later are drawn with their options and pictures (shop.basket.models.load_line_details).
            load_line_details(context["saved_formset"].queryset)
        return context

    def get_upsell_messages(self, basket):
        # The offers the middleware has just applied to this basket (shop.basket.middleware) are the ones Oscar would
        # fetch again here; the upsell messages are worked out from them.
        if basket.is_empty:
            return []  # no offer's condition is partly met by nothing
        offers = getattr(self.request, "basket_offers", None)
        if offers is None:
            return super().get_upsell_messages(basket)
        applied_offers = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied_offers
        ]


class BasketAddView(views.BasketAddView):
    def get_success_url(self):
        # 立即购买 on the product page: the product is in the basket, the buyer goes straight on to checkout.
        if "buy_now" in self.request.POST:
            return reverse("checkout:index")
        return super().get_success_url()
