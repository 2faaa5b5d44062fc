"""What a basket line's form shows, written in one go instead of a dozen template lookups per line."""

from django import template
from django.utils.html import format_html
from oscar.templatetags.currency_filters import currency

register = template.Library()


@register.simple_tag
def basket_line_form(form):
    """The inputs and prices of one line of the basket formset.

    Returns `id` (the hidden line id), `quantity` (the number input, with the most the line may hold), `flags` (the
    hidden "save for later" and "remove" checkboxes the links tick), and `unit_price` and `line_price`, formatted, or
    None where the line has no price. Names, ids and values are those Django's widgets render; a form sent back with
    errors shows what was sent.
    """
    line, prefix = form.instance, form.prefix
    quantity = form["quantity"].value()
    max_quantity = form.fields["quantity"].widget.attrs.get("max")
    tax_known = line.is_tax_known
    unit_price = line.unit_price_incl_tax if tax_known else line.unit_price_excl_tax
    line_price = line.line_price_incl_tax if tax_known else line.line_price_excl_tax
    return {
        "id": format_html('<input type="hidden" name="{0}-id" value="{1}" id="id_{0}-id">', prefix, line.pk),
        "quantity": format_html(
            '<input type="number" name="{0}-quantity" value="{1}" min="0"{2} class="form-control" id="id_{0}-quantity">',
            prefix,
            "" if quantity is None else quantity,
            format_html(' max="{}"', max_quantity) if max_quantity else "",
        ),
        "flags": format_html(
            '<input type="checkbox" name="{0}-save_for_later" id="id_{0}-save_for_later"{1}>'
            '<input type="checkbox" name="{0}-DELETE" id="id_{0}-DELETE"{2}>',
            prefix,
            " checked" if form["save_for_later"].value() else "",
            " checked" if form["DELETE"].value() else "",
        ),
        "unit_price": currency(unit_price, line.price_currency) if unit_price else None,
        "line_price": currency(line_price, line.price_currency) if line_price else None,
    }
