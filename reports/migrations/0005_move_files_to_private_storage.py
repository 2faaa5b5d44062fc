from django.db import migrations

from suppliers.evidence import IMPORT_TYPES, RECEIPT_TYPES
from suppliers.private_files import move_public_files


def move_files(apps, schema_editor):
    move_public_files(
        apps.get_model("reports", "PurchaseRecord").objects.all(),
        field="receipt",
        name_field="receipt_name",
        folder="receipts",
        allowed=RECEIPT_TYPES,
    )
    move_public_files(
        apps.get_model("reports", "ImportJob").objects.all(),
        field="file",
        name_field="",
        folder="imports",
        allowed=IMPORT_TYPES,
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_private_files")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
