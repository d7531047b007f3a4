"""The interference records' TRUNCATE is refused to everyone, a superuser included, as
core's 0011 does for the audit trail and for the same reason: the tests no longer connect
as a superuser (conftest.py), the owner empties the tables with its own session's
triggers off, and the application's role (``manage.py db_roles``) can switch no trigger
off — so the exemption protected nothing and let a plain TRUNCATE through."""
from django.db import migrations

STRICT = """
CREATE OR REPLACE FUNCTION exemption_interference_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '干预记录只能追加，不能修改、删除或清空';
END;
$$ LANGUAGE plpgsql;
"""

SUPERUSER_EXEMPT = """
CREATE OR REPLACE FUNCTION exemption_interference_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '干预记录只能追加，不能修改、删除或清空';
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
    dependencies = [("exemption", "0002_interference_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
