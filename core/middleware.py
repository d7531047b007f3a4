from __future__ import annotations

import contextvars
from typing import Callable, TypeVar

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.template.defaultfilters import filesizeformat
from django.shortcuts import render

from .audit import current_ip
from .integrity import unique_violation_message
from .login import SESSION_ACTIVITY_KEY, client_ip

T = TypeVar("T")

# Reads several parts of one request share (``per_request``): None outside a request.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def per_request(key: tuple, fn: Callable[[], T]) -> T:
    """``fn()`` once per request for ``key`` — for a read that a page's parts and the base
    layout's context processors both need (the calendar check); outside a request (tasks,
    the shell) every call reads afresh. Only for reads that the same request does not
    change."""
    memo = _request_memo.get()
    if memo is None:
        return fn()
    if key not in memo:
        memo[key] = fn()
    return memo[key]


class RequestContextMiddleware:
    """Makes the client's address available to the audit trail during the request, and
    gives the request its ``per_request`` memo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR, or behind our proxy the address it appended (core.login.client_ip):
        # the rest of X-Forwarded-For is client-controlled, and an audit trail must not
        # record a forged address.
        token = current_ip.set(client_ip(request))
        memo = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(memo)
            current_ip.reset(token)


class UniqueViolationMiddleware:
    """A page (or an API view DRF did not answer for) that lost a race on a unique value
    answers 400 with ``core.integrity``'s sentence instead of a 500 that invites a retry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = unique_violation_message(exception)
        if message is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"message": message}, status=400)


class RequestSizeLimitMiddleware:
    """A request that declares a body over ``REQUEST_MAX_BYTES`` answers 413 before a
    byte of the body is read (first in the chain: nothing upstream reads it either)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.REQUEST_MAX_BYTES
        if declared > limit:
            message = (f"提交的内容为 {filesizeformat(declared)}，超过 {filesizeformat(limit)} 的上限，"
                       "未能接收。请压缩或拆分文件后重试。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413,
                                    json_dumps_params={"ensure_ascii": False})
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header: browser features the platform never uses, off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionIdleTimeoutMiddleware:
    """A signed-in session idle for ``SESSION_IDLE_MINUTES`` ends: the next request is
    anonymous (the page asks to sign in again). The last activity is written at most once
    a minute, so an active user does not cost a session write per request."""

    KEY = SESSION_ACTIVITY_KEY
    RESOLUTION = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            idle = settings.SESSION_IDLE_MINUTES * 60
            last = request.session.get(self.KEY)
            if last is not None and now - last > idle:
                logout(request)
            elif last is None or now - last >= self.RESOLUTION:
                request.session[self.KEY] = now
        return self.get_response(request)


class SignInStepsMiddleware:
    """The steps a signed-in user takes before any other page (issue 16 item 14): the
    second factor when the user needs one (core.twofactor) — set up first if it is
    required and missing —, then a new password when an administrator chose the current
    one. The API, signed in by session, answers 403 until then; a token is only issued
    to a user who passed every step."""

    OPEN = ("/accounts/logout/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = self._step(request)
        if step is None or request.path.startswith(self.OPEN) or request.path == reverse(step):
            return self.get_response(request)
        if step == "password_change" and request.path == reverse("password_change_done"):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = ("请先在网页上完成动态口令验证。" if step.startswith("otp")
                       else "请先在网页上修改初始密码。")
            return JsonResponse({"detail": message}, status=403,
                                json_dumps_params={"ensure_ascii": False})
        if step.startswith("otp"):
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return redirect(step)

    @staticmethod
    def _step(request) -> str | None:
        from . import twofactor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not user.is_verified() and twofactor.needs_second_factor(user):
            return "otp_verify" if twofactor.has_totp(user) else "otp_setup"
        if user.password_change_required:
            return "password_change"
        return None


class PlatformErrorPagesMiddleware:
    """With ``DEBUG`` on (``make run``), Django answers a missing page or an error with
    its debug pages, which list the URL patterns, settings and source to whoever asks.
    Outermost in ``MIDDLEWARE``, this replaces them with the platform's own Chinese
    pages (JSON under /api/), as in production; the error is still logged by Django.
    ``DJANGO_DEBUG_PAGES=1`` keeps Django's pages for a developer at their own desk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if (not settings.DEBUG or settings.DEBUG_ERROR_PAGES
                or response.get("Content-Type", "").startswith("application/json")):
            return response  # production, a developer's choice, or the API's own answer
        from . import views

        if response.status_code == 404:
            return views.page_not_found(request, None)
        if response.status_code == 500:
            return views.server_error(request)
        return response
