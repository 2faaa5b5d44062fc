# The delivery to many addresses now belongs to the order app (order 0025 took the tables over): only the state
# forgets the models here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0001_initial'),
        ('order', '0025_group_delivery_from_procurement'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Recipient'),
                migrations.DeleteModel(name='GroupDelivery'),
            ],
        ),
    ]
