"""complaint_subject_org indexed exactly what the subject_org foreign key's own index does:
every complaint written kept both up to date for nothing."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0003_ledger_index_carries_unit"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="complaint", name="complaint_subject_org"),
    ]
