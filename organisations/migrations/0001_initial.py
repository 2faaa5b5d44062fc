# Units moved here from reports: the table (and its members and paired-villages tables) stays where reports
# created it, so only Django's state changes; the content type follows so permissions and admin history keep
# pointing at the same model.

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def adopt_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="organisations", model="unit").exists():
        ContentType.objects.using(db).filter(app_label="reports", model="unit").update(app_label="organisations")


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="reports", model="unit").exists():
        ContentType.objects.using(db).filter(app_label="organisations", model="unit").update(app_label="reports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0001_initial'),
        ('reports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Unit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=128, unique=True, verbose_name='Name')),
                        ('kind', models.CharField(choices=[('agency', 'Government agency'), ('school', 'School'), ('hospital', 'Hospital'), ('state_enterprise', 'State-owned enterprise'), ('private_enterprise', 'Private enterprise'), ('social_organisation', 'Social organisation'), ('trade_union', 'Trade union')], max_length=24, verbose_name='Kind')),
                        ('level', models.CharField(choices=[('city', 'City-level'), ('county', 'County-level'), ('township', 'Township-level')], max_length=16, verbose_name='Level')),
                        ('annual_target', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='Annual purchase target (yuan)')),
                        ('canteen_budget', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='Canteen food budget (yuan)')),
                        ('reserved_share_percent', models.DecimalField(decimal_places=2, default=Decimal('10'), help_text='Share of the canteen food budget reserved for poverty-alleviation products.', max_digits=5, verbose_name='Reserved share (%)')),
                        ('tax_number', models.CharField(blank=True, max_length=20, verbose_name='Taxpayer identification number')),
                        ('members', models.ManyToManyField(blank=True, related_name='units', to=settings.AUTH_USER_MODEL, verbose_name='Members')),
                        ('paired_villages', models.ManyToManyField(blank=True, related_name='paired_units', to='regions.region', verbose_name='Paired villages')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='units', to='regions.region', verbose_name='Region')),
                    ],
                    options={
                        'verbose_name': 'Unit',
                        'verbose_name_plural': 'Units',
                        'db_table': 'reports_unit',
                        'ordering': ['name'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
