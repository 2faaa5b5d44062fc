from oscar.apps.shipping import repository

from shop.shipping.methods import SupplierShipping, parcels_for_recipients


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, request=None, **kwargs):
        # A unit order sent to many addresses (kept in the checkout session) is charged per parcel: the basket page,
        # the preview and the placed order all read the same recipients.
        return [SupplierShipping(parcels=parcels_for_recipients(basket=basket, request=request))]
