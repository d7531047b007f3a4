"""``/healthz``: whether this process can serve — the database answers, the broker
accepts a connection, and beat is alive (the deadline sweep it starts every minute last
finished less than ``HEALTH_SWEEP_MAX_AGE_SECONDS`` ago). For a load balancer or a
monitor: no sign-in, 200 or 503, and the word ``ok`` or ``unavailable`` only — which
check failed and the sweep's age are told only to a request from the host itself
(``HEALTH_DETAIL_ADDRESSES``), never to an outsider."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .login import client_ip

SWEEP = "deadlines-sweep"


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, ""


def _broker() -> tuple[bool, str]:
    from beidaihe_supervision.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True, ""


def _beat() -> tuple[bool, str]:
    from .models import Heartbeat

    last = Heartbeat.objects.filter(name=SWEEP).values_list("at", flat=True).first()
    if last is None:
        return False, "no sweep has finished yet"
    age = (timezone.now() - last) / dt.timedelta(seconds=1)
    return age <= settings.HEALTH_SWEEP_MAX_AGE_SECONDS, f"last sweep {age:.0f} s ago"


CHECKS = {"database": _database, "broker": _broker, "beat": _beat}


def run_checks() -> dict[str, tuple[bool, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure is "unavailable"; the class name is enough
            results[name] = (False, type(exc).__name__)
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    healthy = all(ok for ok, _ in results.values())
    body: dict = {"status": "ok" if healthy else "unavailable"}
    if client_ip(request) in settings.HEALTH_DETAIL_ADDRESSES:
        body["checks"] = {name: {"ok": ok, **({"detail": detail} if detail else {})}
                          for name, (ok, detail) in results.items()}
    return JsonResponse(body, status=200 if healthy else 503)
