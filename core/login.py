"""Signing in: the client's address, and a growing delay per user name (issue 16 item 11).

django-axes counts failures per client address across user names and locks the address
(``LOGIN_ADDRESS_FAILURE_LIMIT``). Per user name there is no lock — anyone knowing a user
name could hold it — but a delay: after ``LOGIN_FAILURE_LIMIT`` failures, each failure
doubles the wait before the next attempt is even checked (``LOGIN_DELAY_MAX_SECONDS`` at
most). An attempt made during the wait is refused without looking at the password and
does not lengthen it. A successful sign-in clears the count.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginDelay


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — behind our reverse proxy
    (``DJANGO_BEHIND_PROXY``) — the last address in X-Forwarded-For, the one our proxy
    appended. Entries before it are whatever the client sent and prove nothing."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            try:
                address = str(ipaddress.ip_address(forwarded[-1]))
            except ValueError:
                pass  # not an address: the proxy did not write it; keep the peer's
    return address


def _key(username) -> str:
    return str(username or "").strip().lower()[:150]


def delay_for(failures: int) -> dt.timedelta:
    """The wait after ``failures`` consecutive failures: none up to the limit, then 1 s,
    2 s, 4 s … up to the maximum."""
    over = failures - settings.LOGIN_FAILURE_LIMIT
    if over < 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(2 ** min(over, 30), settings.LOGIN_DELAY_MAX_SECONDS))


def seconds_to_wait(username) -> int:
    row = LoginDelay.objects.filter(username=_key(username)).first()
    if row is None or row.retry_at is None:
        return 0
    return max(0, math.ceil((row.retry_at - timezone.now()).total_seconds()))


class LoginDelayBackend:
    """Before the password backend: refuses an attempt on a user name that must still
    wait, without checking the password (Django then stops and reports a failure)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        wait = seconds_to_wait(username)
        if wait:
            if request is not None:
                request.login_wait_seconds = wait
            raise PermissionDenied(f"请 {wait} 秒后再试。")
        return None
    # No get_user: it never signs anyone in, so no session names it (and force_login
    # passes over it, as over django-axes' backend).


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if getattr(request, "login_wait_seconds", 0):
        return  # refused for waiting: not a guess, does not lengthen the wait
    key = _key(credentials.get("username"))
    if not key:
        return
    row, _ = LoginDelay.objects.get_or_create(username=key)
    LoginDelay.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
    row.refresh_from_db(fields=["failures"])
    wait = delay_for(row.failures)
    if wait:
        LoginDelay.objects.filter(pk=row.pk).update(retry_at=timezone.now() + wait)


# The session's last request (core.middleware.SessionIdleTimeoutMiddleware), set at sign-in
# so that the first pages after it need not write the session.
SESSION_ACTIVITY_KEY = "last_activity"


@receiver(user_logged_in)
def _signed_in(sender, user, request=None, **kwargs):
    LoginDelay.objects.filter(username=_key(user.get_username())).delete()
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ACTIVITY_KEY] = int(time.time())


class LoginForm(AuthenticationForm):
    """Django's form; a refused wait says how long to wait."""

    def get_invalid_login_error(self):
        wait = getattr(self.request, "login_wait_seconds", 0)
        if wait:
            return ValidationError(
                f"该账户连续登录失败次数较多，为保护账户安全，请 {wait} 秒后再试。",
                code="login_wait")
        return super().get_invalid_login_error()


# --- lifting a lock-out is audited (issue 16 item 6) -------------------------------------
# Who lifts it: set by the admin (core.admin) for its request; django-axes' commands
# (axes_reset, axes_reset_ip, axes_reset_username, axes_reset_ip_username) run on the
# server with none.
lockout_reset_actor: contextvars.ContextVar = contextvars.ContextVar("lockout_reset_actor",
                                                                     default=None)


def _audit_lockout_reset(sender, instance, **kwargs) -> None:
    """A failed-login record removed while it still counts lifts (part of) a lock-out:
    recorded, whichever path removed it — the admin, a django-axes command or its Python
    API. The record's request data (``post_data`` may hold a typed password) is not copied;
    the address, the user name and the count of failures are. Records already past the
    cool-off, which django-axes tidies away itself, lift nothing and are not recorded."""
    from .audit import audit_record
    from .models import User

    cool_off = settings.AXES_COOLOFF_TIME  # a timedelta (settings.py)
    if instance.attempt_time is not None and instance.attempt_time <= timezone.now() - cool_off:
        return
    actor = lockout_reset_actor.get()
    user = User.objects.filter(username=instance.username).first() if instance.username else None
    audit_record(
        actor=actor, verb="login.lockout_reset", target=user,
        note=(f"解除登录锁定：来源地址 {instance.ip_address or '不详'}，"
              f"用户名 {instance.username or '（未填写）'}，"
              f"清除连续失败记录 {instance.failures_since_start} 次"
              + ("" if actor else "（在服务器上执行命令）")),
    )


def connect_lockout_audit() -> None:
    from axes.models import AccessAttempt

    post_delete.connect(_audit_lockout_reset, sender=AccessAttempt,
                        dispatch_uid="core.audit_lockout_reset")
