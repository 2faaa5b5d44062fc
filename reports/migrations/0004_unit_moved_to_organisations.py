# Units now live in organisations (same table): the records, imports and reports point there, and reports
# forgets the model without dropping its table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_import_file'),
        ('organisations', '0001_initial'),
        ('order', '0024_order_unit_in_organisations'),
        ('cms', '0003_campaignpage_units_in_organisations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='purchaserecord',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='records', to='organisations.unit', verbose_name='Buying unit'),
                ),
                migrations.AlterField(
                    model_name='importjob',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_jobs', to='organisations.unit'),
                ),
                migrations.AlterField(
                    model_name='halfmonthreport',
                    name='unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='half_month_reports', to='organisations.unit', verbose_name='Reporting unit'),
                ),
                migrations.DeleteModel(name='Unit'),
            ],
            database_operations=[],
        ),
    ]
