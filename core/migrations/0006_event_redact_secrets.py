"""Events written before ``core.audit.redact`` may hold secrets — the admin's user form
recorded ``password1``/``password2`` in clear. Rewrite those rows with the secrets
replaced, and record in the trail itself which rows were rewritten and why.

On PostgreSQL the append-only trigger (0002) refuses every UPDATE; the migration, run by
the table's owner, sets it aside for these rows only and inside this transaction."""
from django.db import migrations

from core.audit import redact

TRIGGER = "core_event_append_only"


def forwards(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    postgres = schema_editor.connection.vendor == "postgresql"
    rewritten = []
    for event in Event.objects.only("pk", "changes").iterator(chunk_size=2000):
        clean = redact(event.changes)
        if clean != event.changes:
            rewritten.append((event.pk, clean))
    if not rewritten:
        return
    if postgres:
        # ALTER TABLE refuses while deferred foreign-key checks on the table are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE core_event DISABLE TRIGGER {TRIGGER}")
    for pk, clean in rewritten:
        Event.objects.filter(pk=pk).update(changes=clean)
    if postgres:
        schema_editor.execute(f"ALTER TABLE core_event ENABLE TRIGGER {TRIGGER}")
    ids = [pk for pk, _clean in rewritten]
    Event.objects.create(
        verb="audit.redact", changes={"events": [None, ids]},
        note=f"对 {len(ids)} 条审计事件中的密码、令牌等机密字段作了脱敏处理（值改为 ***），"
             f"事件编号：{'、'.join(map(str, ids))}。",
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_organization_empowered_basis_higher_authority")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
