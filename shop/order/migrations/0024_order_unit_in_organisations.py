# The unit model moved to organisations with its table unchanged: only the state's target changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('order', '0023_order_paid_at_order_payment_method_and_more'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='order',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='organisations.unit', verbose_name='Bought for unit'),
                ),
            ],
            database_operations=[],
        ),
    ]
