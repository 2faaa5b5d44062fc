import logging

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import views

logger = logging.getLogger(__name__)

PRODUCT_NOT_SAVED = _("The product could not be saved and nothing was changed. Please try again.")


class ProductCreateUpdateView(views.ProductCreateUpdateView):
    """Oscar's product form, with the product, its stock records, images and attributes saved in one transaction.

    Oscar saves the product form and each formset one after the other; a failure between them (a lost connection, a
    failing signal receiver) used to leave the new title beside the old price.
    """

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
