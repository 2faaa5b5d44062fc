"""Orders placed before invoices had their own model kept the title and taxpayer number on the order: each becomes an
invoice request with one invoice per supplier, still to be issued."""

from django.db import migrations
from django.db.models import Sum


def copy_requests(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Line = apps.get_model("order", "Line")
    Shipment = apps.get_model("order", "Shipment")
    InvoiceRequest = apps.get_model("invoicing", "InvoiceRequest")
    Invoice = apps.get_model("invoicing", "Invoice")
    for order in Order.objects.exclude(invoice_title="").filter(invoice_request__isnull=True).iterator():
        request = InvoiceRequest.objects.create(
            order=order,
            title_kind="company" if order.invoice_tax_number else "person",
            title=order.invoice_title,
            tax_number=order.invoice_tax_number,
            requested_by_id=order.user_id,
            requested_at=order.date_placed,
        )
        amounts = dict(
            Line.objects.filter(order=order)
            .exclude(status="cancelled")
            .values_list("partner")
            .annotate(total=Sum("line_price_incl_tax"))
            .order_by()
        )
        for partner_id, charge in Shipment.objects.filter(order=order).values_list("partner_id", "shipping_charge"):
            if partner_id in amounts:
                amounts[partner_id] += charge
        for partner_id, amount in amounts.items():
            if partner_id:
                Invoice.objects.create(request=request, partner_id=partner_id, amount=amount)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial"), ("order", "0024_order_unit_in_organisations")]

    operations = [migrations.RunPython(copy_requests, migrations.RunPython.noop)]
