"""Issue 16 item 11: sign-in failures limited per client address (the trusted proxy's
address when DJANGO_BEHIND_PROXY) across user names, and per user name a growing delay
rather than a lock an attacker can hold."""
import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from core.login import client_ip, delay_for
from core.models import Event, Role
from core.testing import member

pytestmark = pytest.mark.django_db
GOOD = "Test-password-2026"


def _login(client, username, password, address="10.0.0.1", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address, **extra)


def test_the_delay_grows_and_is_capped(settings):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_DELAY_MAX_SECONDS = 5, 300
    assert [delay_for(n).total_seconds() for n in (4, 5, 6, 7, 8, 20)] == [0, 1, 2, 4, 8, 300]


def test_a_user_name_is_slowed_down_not_locked(client):
    member(Role.OFFICER, username="lisi")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(settings.LOGIN_FAILURE_LIMIT + 3):  # from different addresses
            assert _login(client, "lisi", "wrong", address=f"10.0.1.{n}").status_code == 200
            clock.shift(dt.timedelta(seconds=10))
        # The eighth failure (at 70 s) set a wait of 2**(8-5) = 8 s; within it even the
        # right password is refused, unchecked, with how long to wait.
        clock.move_to(start + dt.timedelta(seconds=10 * (settings.LOGIN_FAILURE_LIMIT + 2) + 1))
        response = _login(client, "lisi", GOOD, address="10.0.2.1")
        assert response.status_code == 200 and "秒后再试" in response.content.decode()
        # Trying during the wait does not lengthen it.
        clock.shift(dt.timedelta(seconds=8))
        response = _login(client, "lisi", GOOD, address="10.0.2.1")
        assert response.status_code == 302  # in, and the count is cleared
    client.logout()
    assert _login(client, "lisi", "wrong", address="10.0.2.1").status_code == 200
    assert "秒后再试" not in _login(client, "lisi", GOOD, address="10.0.2.1").content.decode()


def test_one_address_is_limited_across_user_names(client):
    member(Role.OFFICER, username="victim")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"user{n}", "wrong", address="10.0.3.1")
    assert _login(client, "victim", GOOD, address="10.0.3.1").status_code == 429
    # Another address is not affected, and the account itself is not locked.
    assert _login(client, "victim", GOOD, address="10.0.3.2").status_code == 302


def test_behind_the_proxy_each_client_counts_apart(client, settings):
    settings.BEHIND_PROXY = True
    member(Role.OFFICER, username="victim")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker forges the first entries; the proxy appends what it saw.
        _login(client, f"user{n}", "wrong", address="192.168.0.10",
               HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7")
    assert _login(client, "x", "wrong", address="192.168.0.10",
                  HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Everyone else behind the same proxy signs in.
    assert _login(client, "victim", GOOD, address="192.168.0.10",
                  HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302
    # The audit trail records the client's address too.
    from rest_framework.test import APIClient

    APIClient().post("/api/v1/auth/token/", {"username": "victim", "password": GOOD},
                     REMOTE_ADDR="192.168.0.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert Event.objects.get(verb="login.token").ip == "198.51.100.4"


def test_client_ip_reads_the_proxy_header_only_behind_the_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.10",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "192.168.0.10"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) == "192.168.0.10"


def _locked_out(client, address: str, username: str = "victim"):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, f"wrong-secret-{n}", address=address)
    assert _login(client, username, GOOD, address=address).status_code == 429


def test_lifting_a_lock_out_in_the_admin_is_audited_without_the_typed_password(client):
    from axes.models import AccessAttempt

    victim = member(Role.OFFICER, username="victim")
    admin_user = member(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    _locked_out(client, "10.0.4.1")
    attempt = AccessAttempt.objects.get(ip_address="10.0.4.1")
    client.force_login(admin_user)
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    event = Event.objects.get(verb="login.lockout_reset")
    assert event.actor == admin_user and event.target == victim
    assert "10.0.4.1" in event.note and "victim" in event.note
    assert f"{attempt.failures_since_start} 次" in event.note
    assert "wrong-secret" not in str(event.changes) + event.note
    client.logout()
    # The address is no longer locked (the user name's own delay still applies).
    assert _login(client, "victim", GOOD, address="10.0.4.1").status_code != 429


def test_lifting_lock_outs_with_the_django_axes_commands_is_audited():
    from django.core.management import call_command
    from django.test import Client

    _locked_out(Client(), "10.0.5.1")
    _locked_out(Client(), "10.0.5.2")
    call_command("axes_reset_ip", "10.0.5.1")
    event = Event.objects.get(verb="login.lockout_reset")
    assert event.actor is None and "10.0.5.1" in event.note and "服务器" in event.note
    call_command("axes_reset")
    assert Event.objects.filter(verb="login.lockout_reset").count() == 2


def test_django_axes_tidying_away_an_expired_record_is_not_a_lock_out_lifted():
    from axes.models import AccessAttempt
    from django.test import Client

    _locked_out(Client(), "10.0.6.1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
                                 - dt.timedelta(seconds=1))
    AccessAttempt.objects.all().delete()
    assert not Event.objects.filter(verb="login.lockout_reset").exists()
