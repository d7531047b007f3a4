"""Issue 16 items 14 and 8: a second factor (TOTP, django-otp) required of the justice
bureau's supervisors and of administrators and offered to everyone else, with recovery
codes; an API token only for a user who passed every factor; a password policy, and a
new password at the first sign-in of an account an administrator created."""
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core import demo, services, twofactor
from core.models import Role, User
from core.testing import assert_audited, member, supervisor

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2026"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.OTP_REQUIRED = True


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=offset):06d}"


def _sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _enable(user) -> tuple[TOTPDevice, list[str]]:
    key = "3132333435363738393031323334353637383930"
    device = TOTPDevice(user=user, key=key)
    with assert_audited("otp.enable", user):
        codes = services.otp_enable(actor=user, hex_key=key, code=_code(device))
    return TOTPDevice.objects.get(user=user), codes


def test_who_must_use_a_second_factor():
    assert twofactor.required_for(supervisor())
    assert twofactor.required_for(member(Role.SYSTEM_ADMIN))
    assert not twofactor.required_for(member(Role.SUPERVISOR))  # not of the justice bureau
    assert not twofactor.required_for(member(Role.OFFICER))


def test_a_supervisor_without_a_device_sets_one_up_before_anything_else(client):
    user = supervisor()
    assert _sign_in(client, user.username).status_code == 302
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/setup/")
    assert client.get("/api/v1/cases/").status_code == 403
    page = client.get("/accounts/otp/setup/").content.decode()
    assert "<svg" in page and "<script>" not in page  # the QR code is markup, not a script
    key = client.session["otp_setup_key"]
    code = _code(TOTPDevice(user=user, key=key))
    assert twofactor.base32_key(key) in page
    response = client.post("/accounts/otp/setup/", {"code": code, "next": "/cases/"})
    codes = re.findall(r"<li>([a-z0-9]+)</li>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/cases/").status_code == 200  # verified in this session


def test_a_user_with_a_device_gives_a_code_or_a_recovery_code(client, settings):
    # django-otp's wait after a wrong code (on the app's device and on the recovery codes,
    # which a wrong app code is also tried against): not timed here.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = supervisor()
    device, codes = _enable(user)
    _sign_in(client, user.username)
    response = client.get("/cases/")
    assert response["Location"].startswith("/accounts/otp/")
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    refused = client.post("/accounts/otp/", {"code": wrong})
    assert refused.status_code == 200 and "动态口令不正确" in refused.content.decode()
    assert client.get("/cases/").status_code == 302
    response = client.post("/accounts/otp/", {"code": _code(device), "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    # Next time with a recovery code: it works once.
    client.logout()
    _sign_in(client, user.username)
    with assert_audited("otp.recovery_used", user):
        assert client.post("/accounts/otp/", {"code": codes[0]}).status_code == 302
    client.logout()
    _sign_in(client, user.username)
    assert client.post("/accounts/otp/", {"code": codes[0]}).status_code == 200  # used up


def test_an_officer_may_choose_a_second_factor_and_then_needs_it(client):
    officer = member(Role.OFFICER)
    _sign_in(client, officer.username)
    assert client.get("/cases/").status_code == 200  # offered, not required
    assert "启用动态口令" in client.get("/accounts/password/").content.decode()
    _enable(officer)
    client.logout()
    _sign_in(client, officer.username)
    assert client.get("/cases/")["Location"].startswith("/accounts/otp/")


def test_recovery_codes_are_renewed_and_the_old_ones_stop_working():
    user = supervisor()
    _device, old = _enable(user)
    with assert_audited("otp.recovery_reset", user):
        new = services.otp_recovery_codes_reset(actor=user)
    assert set(old).isdisjoint(new)
    with assert_audited("otp.recovery_used", user):
        assert services.otp_verify(user=user, code=new[0]) is not None
    assert services.otp_verify(user=user, code=old[0]) is None


def test_an_administrator_disables_a_lost_device():
    admin_user = member(Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    user = supervisor()
    _enable(user)
    with assert_audited("otp.disable", user):
        services.otp_disable(actor=admin_user, user=user)
    assert not twofactor.has_totp(user)


def test_an_api_token_needs_every_factor():
    user = supervisor()
    api = APIClient()
    body = {"username": user.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", body).status_code == 403  # none set up yet
    device, _codes = _enable(user)
    assert api.post("/api/v1/auth/token/", body).status_code == 400
    response = api.post("/api/v1/auth/token/", {**body, "otp_code": _code(device)})
    assert response.status_code == 200 and response.json()["token"]


def test_the_password_policy(client):
    user = member(Role.OFFICER, username="zhangwei")
    client.force_login(user)
    for weak, message in [("short1A!", "至少 10 个字符"), ("alllowercase123", "至少 3 类"),
                          ("Zhangwei-2026x", "不能包含用户名")]:
        response = client.post("/accounts/password/", {
            "old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
        assert response.status_code == 200 and message in response.content.decode(), weak


def test_an_account_an_administrator_created_changes_its_password_first(client):
    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin_user, key=demo.DEMO_TOTP_KEY, confirmed=True)
    client.force_login(admin_user)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=admin_user).persistent_id
    session.save()
    response = client.post("/admin/core/user/add/", {
        "username": "newclerk", "password1": "Initial-Pass-2026", "password2": "Initial-Pass-2026",
        "usable_password": "true",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert User.objects.get(username="newclerk").password_change_required
    client.logout()
    _sign_in(client, "newclerk", "Initial-Pass-2026")
    assert client.get("/cases/")["Location"] == "/accounts/password/"
    assert "请先设置只有您本人知道的新密码" in client.get("/accounts/password/").content.decode()
    client.post("/accounts/password/", {"old_password": "Initial-Pass-2026",
                                        "new_password1": "Own-Choice-2027",
                                        "new_password2": "Own-Choice-2027"})
    assert not User.objects.get(username="newclerk").password_change_required
    assert client.get("/").status_code == 200


def test_the_demo_supervisor_keeps_a_documented_way_in(client, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert twofactor.base32_key(demo.DEMO_TOTP_KEY) in out and "seed_demo --otp" in out
    device = TOTPDevice.objects.filter(key=demo.DEMO_TOTP_KEY).first()
    assert device is not None and twofactor.required_for(device.user)
    call_command("seed_demo", "--otp")
    codes = dict(line.split() for line in capsys.readouterr().out.strip().splitlines())
    _sign_in(client, device.user.username, demo.demo_password())
    response = client.post("/accounts/otp/", {"code": codes[device.user.username]})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
