from django.db import migrations

from suppliers.evidence import EVIDENCE_TYPES
from suppliers.private_files import move_public_files


def move_evidence(apps, schema_editor):
    for model_name in ("SupplierCertification", "ProductCertification"):
        model = apps.get_model("partner", model_name)
        for field in ("business_licence", "commitment_letter"):
            move_public_files(
                model.objects.all(),
                field=field,
                name_field=f"{field}_name",
                folder="certification",
                allowed=EVIDENCE_TYPES,
            )


class Migration(migrations.Migration):
    dependencies = [("partner", "0010_private_files")]

    operations = [migrations.RunPython(move_evidence, migrations.RunPython.noop)]
