"""/healthz (issue 22, Health): the database, the broker and the beat heartbeat; 200 or
503 with no detail to outsiders."""
import datetime as dt

import pytest
from django.utils import timezone

from core import health
from core.models import Heartbeat

pytestmark = pytest.mark.django_db
OUTSIDER = {"REMOTE_ADDR": "203.0.113.5"}


@pytest.fixture
def fresh_sweep():
    Heartbeat.objects.update_or_create(name=health.SWEEP, defaults={"at": timezone.now()})


def test_healthy_answers_ok_without_sign_in_and_tells_an_outsider_nothing_more(client, fresh_sweep):
    response = client.get("/healthz", **OUTSIDER)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_host_itself_is_told_each_check(client, fresh_sweep):
    body = client.get("/healthz").json()  # the test client's address is 127.0.0.1
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "beat"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "last sweep" in body["checks"]["beat"]["detail"]


def test_beat_is_down_when_the_sweep_is_stale_or_never_ran(client, settings):
    assert client.get("/healthz", **OUTSIDER).status_code == 503  # no sweep has run yet
    Heartbeat.objects.create(name=health.SWEEP, at=timezone.now() - dt.timedelta(
        seconds=settings.HEALTH_SWEEP_MAX_AGE_SECONDS + 60))
    response = client.get("/healthz", **OUTSIDER)
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}
    assert client.get("/healthz").json()["checks"]["beat"]["ok"] is False


def test_the_deadline_sweep_task_beats_the_heartbeat():
    from deadlines.tasks import sweep

    sweep()
    assert timezone.now() - Heartbeat.objects.get(name=health.SWEEP).at < dt.timedelta(seconds=30)


def test_a_broker_that_does_not_answer_is_unavailable(client, fresh_sweep):
    from beidaihe_supervision.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_a_failing_check_is_unavailable_and_its_error_stays_inside(client, fresh_sweep, monkeypatch):
    def broken():
        raise RuntimeError("password authentication failed for user beidaihe_app")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz", **OUTSIDER)
    assert response.status_code == 503
    assert b"password" not in response.content and b"RuntimeError" not in response.content
    assert client.get("/healthz").json()["checks"]["database"] == {"ok": False, "detail": "RuntimeError"}


def test_healthz_is_read_only_and_exempt_from_the_https_redirect(client, fresh_sweep, settings):
    settings.SECURE_SSL_REDIRECT = True  # before the first request: the middleware reads it once
    assert client.get("/healthz", **OUTSIDER).status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.get("/accounts/login/", **OUTSIDER).status_code == 301
