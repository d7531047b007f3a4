"""M10.1–M10.2: 政治面貌 中共党员 and the 中共党员 flag said two things about one person. Either
signal counts: a party member by status gets the flag, a flagged member the status."""
from django.db import migrations

MEMBER_STATUSES = ("cpc_member", "cpc_probationary")


def either_signal_counts(apps, schema_editor):
    Party = apps.get_model("cases", "Party")
    Party.objects.filter(political_status__in=MEMBER_STATUSES).update(is_party_member=True)
    Party.objects.filter(is_party_member=True).exclude(
        political_status__in=MEMBER_STATUSES).update(political_status="cpc_member")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_split_case_tally")]
    operations = [migrations.RunPython(either_signal_counts, migrations.RunPython.noop)]
