"""Issue 16 item 1: no secret ever reaches the audit trail, by any path; rows written
before the fix are redacted by migration 0004, which records that it did."""
import importlib

import pytest
from django.apps import apps
from django.db import connection

from core.audit import audit_record
from core.models import Event, Role, User
from core.testing import justice_bureau, member, supervisor

pytestmark = pytest.mark.django_db

PASSWORD = "Plain-Text-Secret-2026"


def test_admin_user_creation_records_no_password(client):
    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post("/admin/core/user/add/", {
        "username": "newclerk", "password1": PASSWORD, "password2": PASSWORD,
        "usable_password": "true",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="newclerk")
    event = Event.objects.filter(verb="create", target_id=str(created.pk)).latest("id")
    assert PASSWORD not in str(event.changes)
    assert event.changes["password1"] == [None, "***"]
    # …nor on the pages and the API that show the trail to the justice bureau.
    client.force_login(supervisor())
    assert PASSWORD not in client.get("/audit/").content.decode()
    assert PASSWORD not in client.get("/api/v1/events/").content.decode()


def test_audit_record_redacts_secret_fields_and_password_hashes_at_any_depth():
    user = member(Role.OFFICER)
    event = audit_record(actor=None, verb="update", target=user, changes={
        "new_password2": ["", PASSWORD], "api_token": [None, "abc123"],
        "otp_secret": "JBSWY3DPEHPK3PXP", "secret_key": "k", "nested": {"recovery_codes": ["a", "b"]},
        "hash": [None, user.password], "real_name": ["甲", "乙"], "monkey": "kept",
    })
    assert event.changes == {
        "new_password2": ["", "***"], "api_token": [None, "***"], "otp_secret": "***",
        "secret_key": "***", "nested": {"recovery_codes": ["***", "***"]},
        "hash": [None, "***"], "real_name": ["甲", "乙"], "monkey": "kept",
    }


def test_a_target_whose_key_is_the_secret_is_named_by_its_type():
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=member(Role.OFFICER))
    event = audit_record(actor=None, verb="create", target=token)
    assert token.key not in (event.target_id, event.target_repr)


@pytest.mark.db_owner  # the migration switches the trigger off, as only the owner may
def test_migration_redacts_rows_that_hold_a_secret_and_records_it():
    justice_bureau()
    # A row as the admin wrote it before the fix (straight to the table, past audit_record).
    leaked = Event.objects.create(verb="create", changes={"password1": [None, PASSWORD],
                                                          "username": [None, "clerk"]})
    clean = Event.objects.create(verb="update", changes={"real_name": ["甲", "乙"]})
    migration = importlib.import_module("core.migrations.0006_event_redact_secrets")
    with connection.schema_editor() as editor:
        migration.forwards(apps, editor)
    leaked = Event.objects.get(pk=leaked.pk)
    assert leaked.changes == {"password1": [None, "***"], "username": [None, "clerk"]}
    assert Event.objects.get(pk=clean.pk).changes == {"real_name": ["甲", "乙"]}
    record = Event.objects.filter(verb="audit.redact").latest("id")
    assert record.changes["events"] == [None, [leaked.pk]] and str(leaked.pk) in record.note
    # The append-only trigger is back in force afterwards.
    from django.db import transaction
    from django.db.utils import InternalError
    with pytest.raises(InternalError, match="只能追加"), transaction.atomic():
        Event.objects.filter(pk=clean.pk).update(note="篡改")
