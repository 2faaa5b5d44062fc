from django.db import migrations

# PostgreSQL answers word searches from a GIN index on the token vector; SQLite has no such index and scans the
# table, which is small in the embedded default.
CREATE = "CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_productsearchentry USING gin (search_vector);"
DROP = "DROP INDEX IF EXISTS search_entry_vector_gin;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
