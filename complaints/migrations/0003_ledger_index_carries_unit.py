"""The ledger's order index carries the unit (issue 17, Performance): a unit's page of
keys is read from the index alone, at page 1 and page 500 alike."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_townships_complaints_and_assistance'),
        ('core', '0010_heartbeat'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='complaint',
            name='complaint_received',
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['-received_at', '-id'], include=('unit',), name='complaint_received_unit'),
        ),
    ]
