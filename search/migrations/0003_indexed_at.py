import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_full_text_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="productsearchentry",
            name="indexed_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
