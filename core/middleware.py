from __future__ import annotations

import contextvars
from typing import Callable, TypeVar

from .audit import current_ip

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
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy we run
        # rewrites it, and an audit trail must not record a forged address.
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        memo = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(memo)
            current_ip.reset(token)


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
