# The unit model moved to organisations with its table unchanged: only the state's target changes.

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0002_guideindexpage_guidepage_newsindexpage_and_more'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaignpage',
                    name='units',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, to='organisations.unit', verbose_name='Participating units'),
                ),
            ],
            database_operations=[],
        ),
    ]
