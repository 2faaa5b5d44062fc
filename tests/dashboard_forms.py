"""Posting Oscar's dashboard forms as a browser would: every field of the page's forms and formsets as rendered."""


def form_fields(form):
    data = {}
    for field in form:
        value = field.value()
        if (
            value is None
            or value is False
            or hasattr(value, "url")
            or getattr(field.field.widget, "input_type", None) == "file"
        ):
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[field.html_name] = [str(item) for item in value]
        else:
            data[field.html_name] = str(value)
    return data


def product_form_data(response):
    """The product edit page's data as it would be submitted unchanged."""
    context = response.context
    data = form_fields(context["form"])
    for name in ("stockrecord_formset", "category_formset", "image_formset", "recommended_formset"):
        formset = context.get(name)
        if formset is None:
            continue
        data.update(form_fields(formset.management_form))
        # The blank extra forms are left out, as a browser leaves them empty.
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms[: formset.initial_form_count()]:
            data.update(form_fields(form))
    return data
