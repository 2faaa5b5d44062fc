"""HTML typed before the sanitiser existed is cleaned once, the way every save now cleans it: some of Oscar's pages print
these fields as they are stored."""

from django.db import migrations


def sanitise(apps, schema_editor):
    from shop.catalogue.richtext import HTML_FIELDS, clean_html

    for (label, name), fields in HTML_FIELDS.items():
        model = apps.get_model(label, name)
        for row in model.objects.only("pk", *fields).iterator():
            cleaned = {field: str(clean_html(getattr(row, field))) for field in fields if getattr(row, field)}
            changed = {field: value for field, value in cleaned.items() if value != getattr(row, field)}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0033_product_has_quality_certificate_and_more"),
        ("offer", "0013_range_excluded_categories"),
        ("shipping", "0003_auto_20181115_1953"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(sanitise, migrations.RunPython.noop)]
