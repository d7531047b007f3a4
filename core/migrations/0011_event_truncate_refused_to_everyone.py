"""The audit trail's BEFORE TRUNCATE trigger refuses everyone, a superuser included
(issue 16 item 6). 0009 let a superuser through because Django's test runner empties every
table with TRUNCATE and the tests connected as a superuser. The tests now connect as the
application's role (conftest.py); the owner empties the tables with
``session_replication_role = replica`` set for its own session — which is to say that
whoever empties the trail must first switch its triggers off explicitly, a step the
application's role (``manage.py db_roles``) is not allowed to take. An exemption for a
superuser would protect nothing that role could not already undo; without one, nobody
empties the trail by a plain TRUNCATE, by mistake or otherwise."""
from django.db import migrations

STRICT = """
CREATE OR REPLACE FUNCTION core_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计事件只能追加，不能清空';
END;
$$ LANGUAGE plpgsql;
"""

SUPERUSER_EXEMPT = """
CREATE OR REPLACE FUNCTION core_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计事件只能追加，不能清空';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUPERUSER_EXEMPT)


class Migration(migrations.Migration):
    dependencies = [("core", "0010_heartbeat")]
    operations = [migrations.RunPython(forwards, backwards)]
