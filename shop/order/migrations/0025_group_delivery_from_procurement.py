# The delivery to many addresses moved from procurement to the order, where checkout writes it with the order. The
# state takes the models over with their tables, which are then renamed for this app; no row is copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('order', '0024_order_unit_in_organisations'),
        ('procurement', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GroupDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(blank=True, max_length=255, verbose_name='File name')),
                        ('uploaded_at', models.DateTimeField(auto_now=True, verbose_name='Uploaded at')),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='group_delivery', to='order.order', verbose_name='Order')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Uploaded by')),
                    ],
                    options={
                        'verbose_name': 'Delivery to many addresses',
                        'verbose_name_plural': 'Deliveries to many addresses',
                        'db_table': 'procurement_groupdelivery',
                    },
                ),
                migrations.CreateModel(
                    name='Recipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('row', models.PositiveIntegerField(verbose_name='Row')),
                        ('name', models.CharField(max_length=64, verbose_name='Recipient')),
                        ('phone', models.CharField(max_length=11, verbose_name='Mobile number')),
                        ('address', models.CharField(max_length=255, verbose_name='Delivery address')),
                        ('quantity', models.PositiveIntegerField(verbose_name='Quantity')),
                        ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='order.groupdelivery')),
                        ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='order.line', verbose_name='Order line')),
                    ],
                    options={
                        'verbose_name': 'Recipient',
                        'verbose_name_plural': 'Recipients',
                        'ordering': ['row'],
                        'db_table': 'procurement_recipient',
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='groupdelivery', table=None),
        migrations.AlterModelTable(name='recipient', table=None),
    ]
