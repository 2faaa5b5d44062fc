from oscar.apps.shipping import repository

from shop.shipping.methods import SupplierShipping


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        return [SupplierShipping()]
