"""On PostgreSQL the database itself refuses to change or remove an interference record
(M12.2 存档备查), as core's 0002/0009 do for the audit trail: UPDATE and DELETE per row,
TRUNCATE per statement (a superuser excepted: Django's test runner empties tables that
way, and a superuser could switch the trigger off anyway). What escapes it — a superuser
with the triggers off — is found by ``manage.py interference_verify``."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION exemption_interference_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '干预记录只能追加，不能修改、删除或清空';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER exemption_interference_append_only
    BEFORE UPDATE OR DELETE ON exemption_interferencerecord
    FOR EACH ROW EXECUTE FUNCTION exemption_interference_append_only();
CREATE TRIGGER exemption_interference_no_truncate
    BEFORE TRUNCATE ON exemption_interferencerecord
    FOR EACH STATEMENT EXECUTE FUNCTION exemption_interference_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS exemption_interference_no_truncate ON exemption_interferencerecord;
DROP TRIGGER IF EXISTS exemption_interference_append_only ON exemption_interferencerecord;
DROP FUNCTION IF EXISTS exemption_interference_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("exemption", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
