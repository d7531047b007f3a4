"""Issue 16 item 14 (等保 2.0 level 3): a Content-Security-Policy without inline scripts, a
Permissions-Policy, HSTS preload only when configured, the API schema and docs behind a
sign-in, and sessions that end when idle and when the browser closes."""
import datetime as dt
import pathlib
import re

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from core.models import Role
from core.testing import member

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"|javascript:", re.I)


def _csp(response) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:]
            for part in response["Content-Security-Policy"].split(";") if part.strip()}


def test_pages_carry_a_csp_that_allows_no_inline_script(client):
    client.force_login(member(Role.OFFICER))
    for url in ("/", "/accounts/login/", "/cases/", "/api/docs/"):
        policy = _csp(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_no_template_holds_an_inline_script_or_handler():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    offending = [str(p.relative_to(ROOT)) for p in templates
                 if INLINE_SCRIPT.search(p.read_text(encoding="utf-8"))
                 or INLINE_HANDLER.search(p.read_text(encoding="utf-8"))]
    assert offending == []


def test_the_api_docs_page_runs_no_inline_script(client):
    client.force_login(member(Role.OFFICER))
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html and not INLINE_SCRIPT.search(html)


def test_permissions_policy_and_hsts_without_preload(client):
    response = client.get("/accounts/login/", secure=True)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "preload" not in response["Strict-Transport-Security"]


def test_api_schema_and_docs_need_a_sign_in(client):
    assert APIClient().get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")


def test_a_session_ends_after_idle_minutes_and_at_browser_close(client, settings):
    settings.SESSION_IDLE_MINUTES = 30
    member(Role.OFFICER, username="xiaozhang")
    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        response = client.post("/accounts/login/", {"username": "xiaozhang",
                                                    "password": "Test-password-2026"})
        assert response.status_code == 302
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert not cookie["expires"] and not cookie["max-age"]  # ends with the browser
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # active: the clock starts again
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
