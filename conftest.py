"""Fixtures for every app's tests. The suite runs on PostgreSQL and Redis (make test)."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe (it is: the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Flags for this machine's closed network (env notes): no background connections.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests create hundreds of users; the real hasher's deliberate slowness (about 0.6 s
    a password on this machine) is not under test. The browser tests sign in through the
    real form with the same hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _small_demo_year(settings):
    """The demo district's year of activity (demo_district/year.py) at a twentieth of its
    size: the tests that load the demo check its shape, not its three hundred cases
    (demo_district/tests loads it whole)."""
    settings.DEMO_YEAR_SCALE = 0.05


@pytest.fixture(autouse=True)
def _deadline_scope_follows_every_kind(settings):
    """The deadline scope's once-a-minute read of the kinds deadlines run on would land in
    some test's query count; the tests follow every kind, except
    deadlines/tests/test_services.py::test_scope_follows_only_kinds_…, which turns it on."""
    settings.DEADLINE_SCOPE_KINDS_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Uploaded and generated files go to a throw-away folder per test."""
    path = tempfile.mkdtemp(prefix="bdh-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """The pages' tests sign supervisors and administrators in with ``force_login``, which
    knows no second factor: it is off unless a test turns it on
    (core/tests/test_second_factor.py, with settings.OTP_REQUIRED = True)."""
    settings.OTP_REQUIRED = False


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def browser_login(page):
    """Log ``page`` in through the real login form."""

    def login(username: str, password: str = "Test-password-2026") -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return login


@pytest.fixture
def celery_worker_real(transactional_db, settings):
    """A real Celery worker thread consuming from Redis (REDIS_URL), for tests that must
    see tasks delivered through the broker rather than run eagerly."""
    from celery.contrib.testing.worker import start_worker

    from beidaihe_supervision.celery import app

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "make test sets REDIS_URL"
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
