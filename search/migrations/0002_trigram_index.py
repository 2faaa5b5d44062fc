from django.db import migrations

# On PostgreSQL a trigram index lets `text LIKE '%词%'` use an index instead of reading every row; SQLite has no
# such index and scans the (small) table.
CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS search_entry_text_trgm ON search_productsearchentry USING gin (text gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS search_entry_text_trgm;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
