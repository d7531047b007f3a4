"""Issue 16 item 6: the application cannot switch the audit trail's protection off, and
the trail is tamper-evident — `audit_verify` names a row changed, removed or inserted.

The tests' connection is the application's role (conftest.py: made by ``db_roles``, owns
nothing, no superuser); the tampering is done in tests marked ``db_owner``, as an intruder with the
owner's rights would."""
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from core import audit_chain, services
from core.audit import audit_record
from core.models import Event, Role
from core.testing import assert_audited, member
from deadlines.models import Notification

def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _trail(n: int = 5) -> list[Event]:
    events = [audit_record(actor=None, verb="update", note=f"第{i}条") for i in range(n)]
    audit_chain.seal()
    return events


def _behind_the_applications_back(statement: str, params=()) -> None:
    """As the owner (a superuser) with triggers off: what the application's role may not do."""
    _sql("SET LOCAL session_replication_role = replica")
    _sql(statement, params)
    _sql("SET LOCAL session_replication_role = origin")


@pytest.mark.django_db
@pytest.mark.db_owner
def test_truncate_is_refused_even_to_the_owner():
    """No exemption for a superuser either (migration 0011): whoever empties the trail
    must first switch the trigger off, which the application's role cannot."""
    _trail(1)
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred check
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (True,)
    with pytest.raises(InternalError, match="不能清空"), transaction.atomic():
        _sql("TRUNCATE core_event")
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_the_database_sets_the_time_a_back_dated_insert_is_not():
    _sql("INSERT INTO core_event (created_at, verb, target_id, target_repr, changes, note, "
         "prev_hash, hash) VALUES ('2000-01-01T00:00:00Z', 'forged', '', '', '{}', '', '', '')")
    forged = Event.objects.get(verb="forged")
    assert forged.created_at.year >= 2026


@pytest.mark.django_db
def test_an_intact_trail_verifies():
    _trail()
    assert audit_chain.verify() == []
    call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.db_owner
def test_a_changed_row_is_named():
    events = _trail()
    _behind_the_applications_back("UPDATE core_event SET note = '篡改' WHERE id = %s", [events[2].pk])
    breaks = audit_chain.verify()
    assert [(b.event_id, "被修改" in b.problem) for b in breaks] == [(events[2].pk, True)]


@pytest.mark.django_db
@pytest.mark.db_owner
def test_a_removed_row_is_named():
    events = _trail()
    removed = Event.objects.get(pk=events[1].pk).seq
    _behind_the_applications_back("DELETE FROM core_event WHERE id = %s", [events[1].pk])
    breaks = audit_chain.verify()
    assert any(b.seq == removed and "缺失" in b.problem for b in breaks)
    with pytest.raises(CommandError, match="异常"):
        call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.db_owner
def test_an_inserted_row_is_named():
    events = _trail()
    seq = Event.objects.get(pk=events[3].pk).seq
    # Make room in the chain and slip a row in with a plausible-looking hash.
    _behind_the_applications_back("UPDATE core_event SET seq = -(seq + 1) WHERE seq >= %s", [seq])
    _behind_the_applications_back("UPDATE core_event SET seq = -seq WHERE seq < 0")
    _behind_the_applications_back(
        "INSERT INTO core_event (created_at, verb, target_id, target_repr, changes, note, ip, "
        "seq, prev_hash, hash) SELECT created_at, 'update', '', '', '{}', '插入', NULL, %s, "
        "prev_hash, hash FROM core_event WHERE seq = %s", [seq, seq - 1])
    inserted = Event.objects.get(note="插入")
    breaks = audit_chain.verify()
    assert any(b.event_id == inserted.pk for b in breaks)


@pytest.mark.django_db
@pytest.mark.db_owner
def test_a_break_is_recorded_and_reported_to_the_administrators():
    admin_user = member(Role.SYSTEM_ADMIN)
    events = _trail()
    _behind_the_applications_back("UPDATE core_event SET note = '篡改' WHERE id = %s", [events[0].pk])
    with assert_audited("audit.chain_break"):
        breaks = services.audit_chain_check()
    assert len(breaks) == 1 and f"#{events[0].pk}" in breaks[0]
    notice = Notification.objects.get(recipient=admin_user)
    assert "完整性校验" in notice.subject and f"#{events[0].pk}" in notice.body


@pytest.mark.django_db
def test_the_application_connects_as_a_role_that_owns_nothing_and_is_no_superuser():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls "
                       "FROM pg_roles WHERE rolname = current_user")
        user, *powers = cursor.fetchone()
        assert user == connection.settings_dict["USER"] == f"{connection.settings_dict['NAME']}_app"
        assert powers == [False, False, False, False]
        cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles "
                       "WHERE rolname = current_user)")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles "
                       "WHERE rolname = current_user)")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT pg_has_role(current_user, 'postgres', 'USAGE')")
        assert cursor.fetchone() == (False,)


@pytest.mark.django_db
def test_the_applications_role_cannot_switch_the_protection_off():
    _trail(2)
    refusals = [
        "TRUNCATE core_event",
        "ALTER TABLE core_event DISABLE TRIGGER core_event_append_only",
        "ALTER TABLE core_event DISABLE TRIGGER USER",
        "DROP TRIGGER core_event_no_truncate ON core_event",
        "SET session_replication_role = replica",
        "SET ROLE postgres",
        "UPDATE core_event SET note = '篡改'",
        "DELETE FROM core_event",
        "CREATE TABLE core_event_copy (id integer)",
    ]
    for statement in refusals:
        with pytest.raises((ProgrammingError, InternalError)), transaction.atomic():
            _sql(statement)
    assert Event.objects.filter(note="篡改").count() == 0 and Event.objects.count() == 2
    # A back-dated INSERT gets the database's time; the chain columns are the seal's.
    _sql("INSERT INTO core_event (created_at, verb, target_id, target_repr, changes, note, "
         "seq, prev_hash, hash) VALUES ('2000-01-01T00:00:00Z', 'create', '', '', '{}', "
         "'应用写入', 1, 'x', 'y')")
    forged = Event.objects.get(note="应用写入")
    assert forged.created_at.year >= 2026 and forged.seq is None and forged.hash == ""
    # What it needs still works: append, read, seal.
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_event_seal()")
        assert cursor.fetchone()[0] >= 1
    assert audit_chain.verify() == []
