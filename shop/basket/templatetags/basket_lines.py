"""What a basket line's form shows, written in one go instead of a dozen template lookups per line."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
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
    # The prefix ("form-0") and the values are escaped; the rest is fixed markup.
    prefix = escape(prefix)
    max_attribute = f' max="{escape(max_quantity)}"' if max_quantity else ""
    return {
        "id": mark_safe(f'<input type="hidden" name="{prefix}-id" value="{escape(line.pk)}" id="id_{prefix}-id">'),
        "quantity": mark_safe(
            f'<input type="number" name="{prefix}-quantity" value="{escape("" if quantity is None else quantity)}" '
            f'min="0"{max_attribute} class="form-control" id="id_{prefix}-quantity">'
        ),
        "flags": mark_safe(
            f'<input type="checkbox" name="{prefix}-save_for_later" id="id_{prefix}-save_for_later"'
            f"{' checked' if form['save_for_later'].value() else ''}>"
            f'<input type="checkbox" name="{prefix}-DELETE" id="id_{prefix}-DELETE"'
            f"{' checked' if form['DELETE'].value() else ''}>"
        ),
        "unit_price": currency(unit_price, line.price_currency) if unit_price else None,
        "line_price": currency(line_price, line.price_currency) if line_price else None,
    }
