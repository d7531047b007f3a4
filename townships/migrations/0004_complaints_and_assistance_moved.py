"""M15.2 and M15.5 moved to the complaints app (issue 17 item 4): its 0002 copied every
complaint notice into the ledger and every assistance request into its own model; the
old tables go."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('townships', '0003_jurisdiction_dispute_moved'),
        ('complaints', '0002_townships_complaints_and_assistance'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='complaintnotice',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='complaintnotice',
            name='department',
        ),
        migrations.RemoveField(
            model_name='complaintnotice',
            name='handler',
        ),
        migrations.RemoveField(
            model_name='complaintnotice',
            name='receiver',
        ),
        migrations.DeleteModel(
            name='AssistanceRequest',
        ),
        migrations.DeleteModel(
            name='ComplaintNotice',
        ),
    ]
