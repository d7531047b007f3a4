"""``manage.py create_admin``: the first administrator of a new installation."""
from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from core import policy
from core.models import Event, Organization, OrgKind, Role, User

pytestmark = pytest.mark.django_db


def test_first_administrator_with_the_bureau_audited_and_no_password_in_the_trail(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("Qinhuangdao-2026-admin\n", encoding="utf-8")
    call_command("create_admin", "gly", "--name", "王管理", "--password-file", str(secret))
    user = User.objects.get(username="gly")
    assert user.check_password("Qinhuangdao-2026-admin") and user.password_change_required
    assert user.is_superuser and user.is_staff and user.real_name == "王管理"
    bureau = Organization.objects.get(name="北戴河区司法局")
    assert bureau.kind == OrgKind.JUSTICE_BUREAU
    assert user.memberships.get().role == Role.SYSTEM_ADMIN
    assert policy.has_capability(user, "admin.manage")
    trail = json.dumps(list(Event.objects.values("verb", "changes", "note")), ensure_ascii=False)
    assert {"create"} <= set(Event.objects.values_list("verb", flat=True))
    assert Event.objects.filter(target_id=str(user.pk)).exists()
    assert "Qinhuangdao-2026-admin" not in trail and user.password not in trail


def test_refuses_a_weak_password_an_existing_user_and_a_bureau_that_is_not_one(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("12345678", encoding="utf-8")
    with pytest.raises(CommandError, match="密码"):
        call_command("create_admin", "gly", "--password-file", str(weak))
    assert not User.objects.exists()
    good = tmp_path / "good"
    good.write_text("Qinhuangdao-2026-admin", encoding="utf-8")
    call_command("create_admin", "gly", "--password-file", str(good))
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_admin", "gly", "--password-file", str(good))
    Organization.objects.create(name="北戴河区市场监督管理局", short_name="市场监管局", kind=OrgKind.DEPARTMENT)
    with pytest.raises(CommandError, match="不是司法局"):
        call_command("create_admin", "gly2", "--bureau", "北戴河区市场监督管理局", "--password-file", str(good))
