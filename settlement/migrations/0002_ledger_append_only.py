"""The database itself refuses to change a ledger entry (PostgreSQL: or to remove one), whatever code tries.

SQLite keeps DELETE allowed: Django empties its tables with DELETE between transactional tests, where PostgreSQL uses
TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER settlement_ledgerentry_no_update BEFORE UPDATE ON settlement_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS settlement_ledgerentry_no_update",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION settlement_ledgerentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'integrity_constraint_violation'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER settlement_ledgerentry_append_only BEFORE UPDATE OR DELETE ON settlement_ledgerentry
       FOR EACH ROW EXECUTE FUNCTION settlement_ledgerentry_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS settlement_ledgerentry_append_only ON settlement_ledgerentry",
    "DROP FUNCTION IF EXISTS settlement_ledgerentry_append_only()",
]


def run(statements_of):
    def apply(apps, schema_editor):
        for statement in statements_of.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
