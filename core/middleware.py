from __future__ import annotations

from .audit import current_ip


class RequestContextMiddleware:
    """Makes the client's address available to the audit trail during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy we run
        # rewrites it, and an audit trail must not record a forged address.
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
