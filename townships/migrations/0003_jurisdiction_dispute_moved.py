"""M15.6's jurisdiction disputes are disputes of kind 管辖 now (disputes app): their rows
were copied by disputes 0002; the township model goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('townships', '0002_text_lengths_and_recorded'),
        ('disputes', '0002_jurisdiction_disputes_from_townships'),
    ]

    operations = [
        migrations.DeleteModel(
            name='JurisdictionDispute',
        ),
    ]
