"""The audit trail in the database (PostgreSQL; issue 16 item 6).

- TRUNCATE is refused like UPDATE and DELETE (0002's triggers are per row and miss it),
  to every role but a superuser.
- The database sets an event's time: an INSERT cannot back-date one.
- A hash chain: ``core_event_seal()`` gives each committed, unsealed event the next
  number in the chain, its predecessor's hash and its own hash over every column; run by
  beat each minute and by ``audit_verify``, which recomputes the chain and names any row
  changed, removed or inserted. The function runs as the table's owner (SECURITY DEFINER):
  the application's role, which may only read and insert (``manage.py db_roles``), seals
  through it and can write no hash itself. 0002's trigger lets the seal set the three
  chain columns of an unsealed row, nothing else.
"""
from django.db import migrations, models

CREATE = r"""
CREATE OR REPLACE FUNCTION core_event_no_truncate() RETURNS trigger AS $$
BEGIN
    -- A superuser may (it could switch this trigger off anyway): Django's test runner
    -- empties every table between tests that way. Nobody else, the owner included.
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计事件只能追加，不能清空';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_no_truncate BEFORE TRUNCATE ON core_event
    FOR EACH STATEMENT EXECUTE FUNCTION core_event_no_truncate();

CREATE OR REPLACE FUNCTION core_event_set_time() RETURNS trigger AS $$
BEGIN
    NEW.created_at := clock_timestamp();
    NEW.seq := NULL;
    NEW.prev_hash := '';
    NEW.hash := '';
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_set_time BEFORE INSERT ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_set_time();

CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('core.event_sealing', true) = 'on'
       AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.created_at, NEW.actor_id, NEW.organization_id, NEW.verb,
            NEW.target_type_id, NEW.target_id, NEW.target_repr, NEW.changes, NEW.note, NEW.ip)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_id, OLD.organization_id, OLD.verb,
            OLD.target_type_id, OLD.target_id, OLD.target_repr, OLD.changes, OLD.note, OLD.ip)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计事件只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION core_event_digest(e core_event, prev text) RETURNS text AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        prev, e.seq::text, e.id::text,
        to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.actor_id::text, ''), coalesce(e.organization_id::text, ''), e.verb,
        coalesce(e.target_type_id::text, ''), e.target_id, e.target_repr, e.changes::text,
        e.note, coalesce(host(e.ip), '')), 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION core_event_seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    r core_event;
    sealed integer := 0;
BEGIN
    -- One sealer at a time; rows still uncommitted are not seen and are sealed later.
    PERFORM pg_advisory_xact_lock(hashtext('core_event_seal'));
    SELECT seq, hash INTO head_seq, head_hash FROM core_event
        WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));
    PERFORM set_config('core.event_sealing', 'on', true);
    FOR r IN SELECT * FROM core_event WHERE seq IS NULL ORDER BY id LOOP
        head_seq := head_seq + 1;
        r.seq := head_seq;
        UPDATE core_event SET seq = head_seq, prev_hash = head_hash,
               hash = core_event_digest(r, head_hash)
            WHERE id = r.id RETURNING hash INTO head_hash;
        sealed := sealed + 1;
    END LOOP;
    PERFORM set_config('core.event_sealing', 'off', true);
    RETURN sealed;
END;
$$;
"""

DROP = """
DROP TRIGGER IF EXISTS core_event_no_truncate ON core_event;
DROP FUNCTION IF EXISTS core_event_no_truncate();
DROP TRIGGER IF EXISTS core_event_set_time ON core_event;
DROP FUNCTION IF EXISTS core_event_set_time();
DROP FUNCTION IF EXISTS core_event_seal();
DROP FUNCTION IF EXISTS core_event_digest(core_event, text);
CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计事件只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("SELECT core_event_seal()")  # the events already there


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_password_change_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='哈希'),
        ),
        migrations.AddField(
            model_name='event',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='前一事件哈希'),
        ),
        migrations.AddField(
            model_name='event',
            name='seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='链序号'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
