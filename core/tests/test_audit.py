"""The audit trail: append-only, and written by every service (a service write without
an event fails here)."""
import ast
import importlib
import inspect
import pathlib

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import InternalError

from core import services
from core.audit import audit_record
from core.models import AppendOnlyError, Event, Role
from core.testing import OrganizationFactory, UserFactory, assert_audited, member

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(settings.BASE_DIR)
# Public functions in a services module that write nothing (checks a form can call first).
READ_ONLY_SERVICE_FUNCTIONS = {"core.services.attachment_validate"}


def test_event_cannot_be_changed_or_deleted_through_the_model():
    event = audit_record(actor=None, verb="create", note="原始记录")
    event.note = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


# As the owner, who holds UPDATE and DELETE: the trigger refuses it. The application's role
# may not even try (test_audit_chain.py).
@pytest.mark.db_owner
def test_event_cannot_be_changed_or_deleted_in_the_database():
    assert connection.vendor == "postgresql", "make test runs on PostgreSQL"
    event = audit_record(actor=None, verb="create", note="原始记录")
    with pytest.raises(InternalError, match="只能追加"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(InternalError, match="只能追加"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).note == "原始记录"


def test_user_and_membership_services_are_audited():
    actor = member(Role.SYSTEM_ADMIN)
    org = OrganizationFactory()
    user = UserFactory()
    with assert_audited("update", user):
        services.user_save(actor=actor, user=user, password="Another-password-2026")
    event = Event.objects.filter(target_id=str(user.pk), verb="update").latest("id")
    assert event.changes["password"] == ["***", "***"]
    with assert_audited("create"):
        membership = services.membership_add(actor=actor, user=user, organization=org,
                                             role=Role.OFFICER)
    with assert_audited("delete"):
        services.membership_remove(actor=actor, membership=membership)
    org.name = "改名后的单位"
    with assert_audited("update", org):
        services.organization_save(actor=actor, organization=org)


def test_admin_change_is_audited(client):
    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    org = OrganizationFactory()
    client.force_login(admin_user)
    with assert_audited("update", org):
        response = client.post(f"/admin/core/organization/{org.pk}/change/", {
            "name": org.name, "short_name": "新简称", "kind": org.kind,
            "complaint_phone": "0335-4041234", "complaint_mailbox": "", "is_active": "on",
        })
        assert response.status_code == 302


def test_the_sign_in_history_is_shown_in_the_admin_and_never_changed_or_deleted(client):
    """django-axes' sign-in and failure logs are kept like the trail: a deletion in the
    admin would be a write no event records, erasing the trace it is."""
    from axes.models import AccessFailureLog, AccessLog

    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    log = AccessLog.objects.create(username="scj_zf1", ip_address="10.0.0.8", user_agent="测试",
                                   path_info="/accounts/login/")
    failure = AccessFailureLog.objects.create(username="scj_zf1", ip_address="10.0.0.9",
                                              user_agent="测试", path_info="/accounts/login/")
    client.force_login(admin_user)
    for model, row in ((AccessLog, log), (AccessFailureLog, failure)):
        base = f"/admin/axes/{model._meta.model_name}/"
        assert client.get(base).status_code == 200
        assert client.get(f"{base}{row.pk}/change/").status_code == 200  # shown, read only
        assert client.get(f"{base}{row.pk}/delete/").status_code == 403
        client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
        client.post(f"{base}{row.pk}/delete/", {"post": "yes"})
        assert model.objects.filter(pk=row.pk).exists()


def _service_functions() -> set[str]:
    names = set()
    paths = [*ROOT.glob("*/services.py"), *ROOT.glob("*/services/[!_]*.py")]
    for path in paths:
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(dotted)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                names.add(f"{module.__name__}.{name}")
    return names


def _calls_inside_assert_audited() -> set[str]:
    called = set()
    for path in ROOT.glob("*/tests/test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.With):
                continue
            if not any(isinstance(item.context_expr, ast.Call)
                       and getattr(item.context_expr.func, "id", "") == "assert_audited"
                       for item in node.items):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                    called.add(inner.func.attr)
                elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
                    called.add(inner.func.id)
    return called


def test_every_service_function_has_an_audited_test():
    """Each public function of every app's services.py is called inside ``assert_audited``
    in some test: a new service that forgets its audit event fails here."""
    called = _calls_inside_assert_audited()
    missing = sorted(
        name for name in _service_functions() - READ_ONLY_SERVICE_FUNCTIONS
        if name.rsplit(".", 1)[1] not in called
    )
    assert missing == [], f"services without an audited test: {missing}"
