import re

from django.db import migrations, models

# Refunds returned by bank transfer were recorded with the reference at the end of their reason, in English or in
# Chinese as the operator's language had it; the reason is kept as it was.
REFERENCE_IN_REASON = re.compile(r"(?:returned by bank transfer: |已通过银行转账退回：)(?P<reference>.+)$")


def references_from_reasons(apps, schema_editor):
    Refund = apps.get_model("payment", "Refund")
    for refund in Refund.objects.filter(gateway_reference__isnull=True, bank_reference="").exclude(reason=""):
        match = REFERENCE_IN_REASON.search(refund.reason)
        if match:
            refund.bank_reference = match.group("reference").strip()[:120]
            refund.save(update_fields=["bank_reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("payment", "0006_webhookevent_refund"),
    ]

    operations = [
        migrations.AddField(
            model_name="refund",
            name="bank_reference",
            field=models.CharField(blank=True, max_length=120, verbose_name="Bank reference"),
        ),
        migrations.RunPython(references_from_reasons, migrations.RunPython.noop),
    ]
