from oscar.apps.checkout import utils


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's checkout session, also holding who pays (a unit's account and the invoice it asks for, if any) and the
    invoice a buyer asks for themselves, and the recipients of a unit order delivered to many addresses.

    Oscar documents this class as the place to add a checkout's own data, stored under its namespaces.
    """

    def pay_for_unit(self, *, unit_id, invoice_title="", invoice_tax_number=""):
        self._set("payment", "unit_id", unit_id)
        self._set("payment", "invoice_title", invoice_title if unit_id else "")
        self._set("payment", "invoice_tax_number", invoice_tax_number if unit_id else "")

    def ask_invoice(self, details):
        """The buyer's own 需要发票 request (title kind, title, taxpayer number, e-mail), or None for no invoice."""
        self._set("payment", "buyer_invoice", details)

    def buyer_invoice(self):
        return self._get("payment", "buyer_invoice")

    def send_to_recipients(self, *, rows, file_name=""):
        """A unit order delivered to many addresses: the recipients read from the uploaded file (as dicts), or None
        for delivery to the shipping address."""
        self._set("delivery", "recipients", rows)
        self._set("delivery", "file_name", file_name if rows else "")

    def recipients(self):
        return self._get("delivery", "recipients")

    def recipients_file_name(self):
        return self._get("delivery", "file_name", "")

    def unit_payment(self):
        return {
            "unit_id": self._get("payment", "unit_id"),
            "invoice_title": self._get("payment", "invoice_title", ""),
            "invoice_tax_number": self._get("payment", "invoice_tax_number", ""),
        }
