import logging

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
            return super().forms_valid(form, formsets)
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


def categories_after(formset):
    """The categories the product would have once the category formset is saved."""
    return [
        category_form.cleaned_data["category"]
        for category_form in formset.forms
        if category_form.cleaned_data.get("category") and not category_form.cleaned_data.get("DELETE")
    ]
