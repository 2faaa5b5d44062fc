from django.db import migrations, models


def flag_baskets_holding_vouchers(apps, schema_editor):
    Basket = apps.get_model("basket", "Basket")
    Basket.objects.filter(vouchers__isnull=False).update(may_hold_vouchers=True)


class Migration(migrations.Migration):
    dependencies = [("basket", "0012_line_code"), ("voucher", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="basket",
            name="may_hold_vouchers",
            field=models.BooleanField(default=False, editable=False, verbose_name="May hold vouchers"),
        ),
        migrations.RunPython(flag_baskets_holding_vouchers, migrations.RunPython.noop),
    ]
