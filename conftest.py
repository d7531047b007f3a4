"""Fixtures for every app's tests. The suite runs on PostgreSQL and Redis (make test)."""
from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told it is safe (it is: the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Flags for this machine's closed network (env notes): no background connections.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


# --- The application's database role (issue 16 item 6) -----------------------------------
# As in production, the tests' application connection is not the owner of the tables: the
# owner (DATABASE_URL's user — postgres in `make test`) creates and migrates the test
# database, then ``manage.py db_roles`` makes ``<test database>_app``, a login role that
# owns nothing and is no superuser, and every test's connection uses it. The owner's own
# connection (``as_owner``) does only what the application may not: empty the tables after
# a transactional test, and the few tests that need the owner's rights (marked ``db_owner``).
_OWNER: list = []  # the owner's connection, while the session's test database exists


def app_role_name(database: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", database.lower())[:59] + "_app"


@contextmanager
def as_owner():
    """This thread's default connection is the owner's for the block."""
    from django.db import connections

    app = connections["default"]
    connections["default"] = _OWNER[0]
    try:
        yield _OWNER[0]
    finally:
        connections["default"] = app


def _flush_as_owner(flush):
    """TransactionTestCase empties every table with TRUNCATE, which the application's role
    may not do and the audit trails' BEFORE TRUNCATE triggers refuse to anyone. The owner
    (a superuser in `make test`) does it with the triggers off for its session only —
    exactly the power the application's role lacks."""

    def _fixture_teardown(self):
        with as_owner() as owner:
            with owner.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
            try:
                flush(self)
            finally:
                with owner.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")

    return _fixture_teardown


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connections
    from django.test import TransactionTestCase

    app = connections["default"]
    if app.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        role, password = app_role_name(app.settings_dict["NAME"]), secrets.token_urlsafe(24)
        call_command("db_roles", role, password=password, stdout=io.StringIO())
        owner = app.copy()
        app.close()
    saved = {key: app.settings_dict[key] for key in ("USER", "PASSWORD")}
    app.settings_dict.update(USER=role, PASSWORD=password)  # shared by every thread
    _OWNER.append(owner)
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _flush_as_owner(flush)
    yield
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        owner.close()
        app.close()
    _OWNER.clear()
    app.settings_dict.update(saved)  # the owner drops the test database


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """A test marked ``db_owner`` runs on the owner's connection: its transaction (or, if
    transactional, its statements) and its fixtures' writes, undone after like any other
    test's — for what only the owner may do: run a migration, tamper with a trail as an
    intruder with the owner's rights would. The database fixture is set up here, after the
    session's database and before every fixture that writes."""
    if (fixturedef.argname == "_django_db_helper" and _OWNER
            and request.node.get_closest_marker("db_owner")):
        from django.db import connections

        app = connections["default"]

        def back_to_the_application():
            connections["default"] = app

        fixturedef.addfinalizer(back_to_the_application)  # after the rollback or flush
        connections["default"] = _OWNER[0]
    return (yield)


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
def _scopes_follow_every_kind(settings):
    """The deadline and attachment scopes' once-a-minute read of the kinds their rows point
    at (core/kinds.py) would land in some test's query count; the tests follow every kind,
    except the narrowing's own tests, which turn it on."""
    settings.SCOPE_KINDS_SECONDS = 0


@pytest.fixture(autouse=True)
def _prepared_statements_strict(settings):
    """A dashboard statement whose builder derives a value from the time now fails the test
    instead of being left unkept (core/prepared.py); the store is emptied around each test
    (any setting changing empties it)."""
    settings.PREPARED_QUERIES_STRICT = True


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
