"""Range names typed before they were kept as plain text lose their markup once, the way every save now removes it:
Oscar prints them inside the offers' descriptions as HTML."""

from django.db import migrations


def strip_markup(apps, schema_editor):
    from shop.catalogue.richtext import TEXT_SHOWN_AS_HTML, strip_markup_fields

    for (label, name), fields in TEXT_SHOWN_AS_HTML.items():
        model = apps.get_model(label, name)
        for row in model.objects.only("pk", *fields).iterator():
            before = {field: getattr(row, field) for field in fields}
            strip_markup_fields(row, fields)
            changed = {field: getattr(row, field) for field in fields if getattr(row, field) != before[field]}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0034_sanitise_stored_html")]

    operations = [migrations.RunPython(strip_markup, migrations.RunPython.noop)]
