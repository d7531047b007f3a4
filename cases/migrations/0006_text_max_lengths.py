# The summary and the decision hold at most 5,000 characters (forms and the API enforce it).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_party_member_either_signal'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enforcementcase',
            name='decision_summary',
            field=models.TextField(blank=True, max_length=5000, verbose_name='决定内容'),
        ),
        migrations.AlterField(
            model_name='enforcementcase',
            name='summary',
            field=models.TextField(max_length=5000, verbose_name='案情摘要'),
        ),
    ]
