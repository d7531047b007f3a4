"""Issue 16 items 5 and 8: a password change (by the user or an administrator) and an API
token issued or revoked each leave an audit event; tokens expire, and a password change or
the user revokes them."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import services
from core.models import Event, Role
from core.testing import assert_audited, member

pytestmark = pytest.mark.django_db

OLD = "Test-password-2026"
NEW = "Another-Pass-word-2027"
REFUSED = (401, 403)  # 403: DRF's answer when session authentication comes first


def _token(username: str, password: str = OLD) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + token)
    return api.get("/api/v1/me/").status_code


def test_issuing_and_revoking_a_token_are_audited():
    user = member(Role.OFFICER)
    with assert_audited("login.token", user):
        token = services.api_token_issue(actor=user)
    with assert_audited("login.token_revoke", user):
        assert services.api_token_revoke(actor=user) == 1
    assert not Token.objects.filter(key=token.key).exists()
    # No event carries the token itself.
    assert not Event.objects.filter(target_repr__contains=token.key).exists()
    assert not Event.objects.filter(target_id=token.key).exists()


def test_the_user_revokes_their_token_through_the_api():
    user = member(Role.OFFICER, username="qianba")
    token = _token("qianba")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + token)
    assert api.delete("/api/v1/auth/token/").status_code == 204
    assert _me(token) in REFUSED
    assert Event.objects.filter(verb="login.token_revoke", target_id=str(user.pk)).exists()


def test_a_token_expires(settings):
    settings.API_TOKEN_HOURS = 8
    member(Role.OFFICER, username="sunjiu")
    token = _token("sunjiu")
    assert _me(token) == 200
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8, minutes=1)):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION="Token " + token)
        response = api.get("/api/v1/me/")
        assert response.status_code in REFUSED and "已过期" in response.json()["detail"]


def test_a_wrong_password_gets_no_token_and_says_so_in_chinese():
    member(Role.OFFICER, username="zhoushi")
    response = APIClient().post("/api/v1/auth/token/", {"username": "zhoushi", "password": "wrong"})
    assert response.status_code == 400 and response.json()["detail"] == "用户名或密码不正确。"


def test_the_users_own_password_change_is_audited_and_revokes_the_token(client):
    user = member(Role.OFFICER, username="wuyi")
    token = _token("wuyi")
    client.force_login(user)
    with assert_audited("user.password_change", user):
        response = client.post("/accounts/password/", {
            "old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert _me(token) in REFUSED
    event = Event.objects.filter(verb="user.password_change").latest("id")
    assert NEW not in str(event.changes) and event.changes == {"password": ["***", "***"]}
    assert client.get("/").status_code == 200  # still signed in with the new password


def test_an_administrator_setting_a_password_is_audited_and_revokes_the_token(client):
    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    user = member(Role.OFFICER, username="zhenger")
    token = _token("zhenger")
    client.force_login(admin_user)
    with assert_audited("user.password_reset", user):
        response = client.post(f"/admin/core/user/{user.pk}/password/", {
            "password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    assert _me(token) in REFUSED
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = Event.objects.filter(verb="user.password_reset").latest("id")
    assert event.actor == admin_user and NEW not in str(event.changes)


def test_the_service_records_a_disabled_password_sign_in():
    admin_user = member(Role.SYSTEM_ADMIN)
    user = member(Role.OFFICER)
    with assert_audited("user.password_reset", user):
        services.user_password_set(actor=admin_user, user=user, password=None)
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert Event.objects.filter(verb="user.password_reset").latest("id").changes == {
        "password": ["***", None]}


def test_only_the_user_or_an_administrator_sets_a_password():
    user, other = member(Role.OFFICER), member(Role.DEPARTMENT_HEAD)
    with pytest.raises(PermissionDenied):
        services.user_password_set(actor=other, user=user, password=NEW)
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=other, user=user)


def test_the_admin_offers_no_unaudited_writes_on_groups_or_tokens(client):
    client.force_login(member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True))
    assert client.get("/admin/auth/group/add/").status_code == 404
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
