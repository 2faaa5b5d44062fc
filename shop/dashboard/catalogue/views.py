import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.dashboard.catalogue import views as oscar_views

from suppliers import selectors, services

from .forms import ProductForm

logger = logging.getLogger(__name__)

PRODUCT_NOT_SAVED = gettext_lazy("The product could not be saved and nothing was changed. Please try again.")


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    """Oscar's product editor, saved whole or not at all; a certified product's reviewed facts are submitted as a
    change request instead of being applied.

    Oscar saves the product form and each formset one after the other; a failure between them (a lost connection, a
    failing signal receiver) used to leave the new title beside the old price.
    """

    form_class = ProductForm

    def process_all_forms(self, form):
        creating = self.creating
        try:
            with transaction.atomic():
                return super().process_all_forms(form)
        except Exception:
            logger.exception("Product save rolled back")
        if creating:
            # The product written at the start of the transaction is gone with it.
            self.object = None
            form.instance.pk = None
        messages.error(self.request, PRODUCT_NOT_SAVED)
        formsets = {
            name: formset_class(
                self.product_class, self.request.user, self.request.POST, self.request.FILES, instance=self.object
            )
            for name, formset_class in self.formsets.items()
        }
        return self.render_to_response(self.get_context_data(form=form, **formsets))

    form_valid = form_invalid = process_all_forms

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is not None and self.object.pk:
            ctx["facts_reviewed"] = selectors.product_is_certified(product=self.object)
            ctx["pending_change_request"] = selectors.pending_change_request(product=self.object)
        return ctx

    @transaction.atomic
    def forms_valid(self, form, formsets):
        if self.creating:
            response = super().forms_valid(form, formsets)
            record_prices(formsets, user=self.request.user, old_prices={})
            return response
        old_prices, held = {}, []
        for stock_form in changed_prices(formsets):
            old_prices[stock_form.instance.pk] = stock_form.initial.get("price")
            try:
                price_change = services.stockrecord_price_submit(
                    stockrecord=stock_form.instance, user=self.request.user
                )
            except services.PriceChangeError as error:
                form.add_error(None, str(error))
                return self.forms_invalid(form, formsets)
            if price_change:
                held.append(price_change)
        response = self.save_with_change_request(form, formsets)
        record_prices(formsets, user=self.request.user, old_prices=old_prices)
        for price_change in held:
            messages.warning(
                self.request,
                _(
                    "The new price ¥%(new)s is more than %(margin)s%% above the certified reference price ¥%(reference)s: "
                    "it shows once the county poverty office approves it; until then buyers see ¥%(old)s."
                )
                % {
                    "new": price_change.new_price,
                    "margin": settings.PRICE_REFERENCE_MARGIN_PERCENT,
                    "reference": price_change.reference_price,
                    "old": price_change.old_price,
                },
            )
        return response

    def save_with_change_request(self, form, formsets):
        category_formset = formsets["category_formset"]
        try:
            change_request = services.product_change_request_submit(
                product=form.instance, user=self.request.user, categories=categories_after(category_formset)
            )
        except services.ChangeRequestError as error:
            form.add_error(None, str(error))
            return self.forms_invalid(form, formsets)
        if change_request is None:
            return super().forms_valid(form, formsets)
        # The categories are part of the request: the stored ones stay until the county office approves.
        kept = {name: formset for name, formset in formsets.items() if name != "category_formset"}
        response = super().forms_valid(form, kept)
        messages.warning(
            self.request,
            _("Change request submitted; the product is not sold until the county poverty office approves it."),
        )
        return response


def changed_prices(formsets):
    """The stock record forms of existing stock records whose price was edited."""
    formset = formsets.get("stockrecord_formset")
    if formset is None:
        return []
    return [
        stock_form
        for stock_form in formset.forms
        if stock_form.instance.pk and "price" in stock_form.changed_data and not stock_form.cleaned_data.get("DELETE")
    ]


def record_prices(formsets, *, user, old_prices):
    """Keep the price history of every stock record saved with a price buyers now see."""
    formset = formsets.get("stockrecord_formset")
    if formset is None:
        return
    for stock_form in formset.forms:
        stockrecord = stock_form.instance
        if stockrecord.pk and stockrecord.price is not None and not stock_form.cleaned_data.get("DELETE"):
            services.price_history_record(stockrecord=stockrecord, old_price=old_prices.get(stockrecord.pk), user=user)


def categories_after(formset):
    """The categories the product would have once the category formset is saved."""
    return [
        category_form.cleaned_data["category"]
        for category_form in formset.forms
        if category_form.cleaned_data.get("category") and not category_form.cleaned_data.get("DELETE")
    ]
