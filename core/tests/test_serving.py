"""Serving in production (issue 22 item 1): gunicorn with the repository's configuration,
fingerprinted static files from whitenoise, the nginx sample and the systemd units."""
from __future__ import annotations

import configparser
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core import health
from core.models import Heartbeat

DEPLOY = Path(settings.BASE_DIR) / "deploy"
GUNICORN = Path(sys.executable).parent / "gunicorn"
TEMPLATE_STATIC = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    """The production environment as the systemd units give it: DEBUG off, static files
    collected into their own STATIC_ROOT, and the manifest storage chosen by default
    (make test's DJANGO_STATIC_MANIFEST=0 removed)."""
    root = tmp_path_factory.mktemp("serving")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_STATIC_MANIFEST"}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "s" * 50,
               DJANGO_SECURE_SSL_REDIRECT="0",
               DJANGO_SETTINGS_MODULE="beidaihe_supervision.settings",
               BEIDAIHE_VAR_DIR=str(root / "var"), STATIC_ROOT=str(root / "static"),
               MEDIA_ROOT=str(root / "media"))
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return env, root


@pytest.fixture
def gunicorn(production_env, transactional_db):
    """gunicorn started with deploy/gunicorn.conf.py against the test database; stopped
    (TERM, then waited for) after the test."""
    env, root = production_env
    port = _free_port()
    env = {**env, "DATABASE_URL": _database_url(), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "2"}
    log = open(root / f"gunicorn-{port}.log", "w+")
    process = subprocess.Popen([str(GUNICORN), "-c", str(DEPLOY / "gunicorn.conf.py")],
                               cwd=settings.BASE_DIR, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (root / f"gunicorn-{port}.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start listening in 60 s"
                time.sleep(0.3)
        yield port, log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def _get(port: int, path: str, **headers) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_gunicorn_with_the_repositorys_config_serves_healthz_and_fingerprinted_static(gunicorn):
    port, log = gunicorn
    Heartbeat.objects.update_or_create(name=health.SWEEP, defaults={"at": timezone.now()})

    status, _, body = _get(port, "/healthz")
    assert status == 200, body
    checks = json.loads(body)["checks"]
    assert all(check["ok"] for check in checks.values()), checks

    status, _, body = _get(port, "/accounts/login/")
    assert status == 200
    page = body.decode()
    fingerprinted = re.search(r'/static/css/app\.[0-9a-f]{12}\.css', page)
    assert fingerprinted, "the login page names its style sheet without the content hash"
    assert 'href="/static/css/app.css"' not in page

    status, headers, css = _get(port, fingerprinted.group(0), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["cache-control"]
    assert "immutable" in headers["cache-control"]
    assert headers.get("content-encoding") == "gzip"  # precompressed by collectstatic

    # The plain name still answers, but is never cached for long: a new release changes it.
    status, headers, _ = _get(port, "/static/css/app.css")
    assert status == 200 and "immutable" not in headers["cache-control"]

    # limit_request_line: an over-long request line is refused before Django.
    status, _, _ = _get(port, "/" + "a" * 9000)
    assert status == 414 or status == 400

    # The access log has the path, never the query string.
    _get(port, "/healthz?keyword=%E5%BC%A0%E4%B8%89&id=130304199001011234")
    time.sleep(0.5)
    log.seek(0)
    logged = log.read()
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert "keyword" not in logged and "130304199001011234" not in logged


def test_every_static_file_a_template_names_is_collected(production_env):
    """Under the manifest storage a template naming a file not collected fails to render:
    every `{% static %}` in the templates must be in the collected manifest."""
    _, root = production_env
    manifest = json.loads((root / "static" / "staticfiles.json").read_text())["paths"]
    named = set()
    for template in Path(settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        named.update(TEMPLATE_STATIC.findall(template.read_text()))
    assert "css/app.css" in named and len(named) >= 5
    assert named - set(manifest) == set()


def _nginx() -> str:
    return (DEPLOY / "nginx" / "beidaihe.conf").read_text()


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[unit.lower()]


def test_the_nginx_samples_body_limit_is_djangos_request_cap():
    sizes = re.findall(r"^\s*client_max_body_size\s+(\S+);", _nginx(), re.MULTILINE)
    assert len(sizes) == 1
    assert _nginx_size(sizes[0]) == settings.REQUEST_MAX_BYTES


def test_the_nginx_sample_sends_the_headers_django_trusts_and_never_serves_media():
    conf = _nginx()
    locations = dict(re.findall(r"location\s+(\S+)\s*\{(.*?)\n    \}", conf, re.DOTALL))
    assert locations["/media/"].split() == ["return", "404;"]  # no alias, no proxy_pass
    proxied = [body for body in locations.values() if "proxy_pass" in body]
    assert len(proxied) == 2
    for body in proxied:
        # settings.BEHIND_PROXY: the scheme, and the client's address as the LAST entry.
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in body
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in body
        assert "proxy_set_header Host $host;" in body
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in conf
    assert "return 301 https://" in conf
    assert "$request_uri" not in conf.split("log_format")[1].split(";")[0]  # no query in the log


@pytest.mark.parametrize("unit", ["beidaihe-web", "beidaihe-worker", "beidaihe-beat"])
def test_systemd_units_run_as_the_service_user_restart_and_are_hardened(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / f"{unit}.service")
    service = parser["Service"]
    assert service["User"] == "beidaihe"
    assert service["EnvironmentFile"] == "/etc/beidaihe/beidaihe.env"
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/beidaihe"
    command = service["ExecStart"].split()
    assert command[0].startswith("/opt/beidaihe/.venv/bin/")
    if unit == "beidaihe-web":
        assert command[1:] == ["-c", "/opt/beidaihe/deploy/gunicorn.conf.py"]
    else:
        assert command[1:4] == ["-A", "beidaihe_supervision", unit.split("-")[1]]
    # The example environment file names the folders the units may write.
    example = (DEPLOY / "beidaihe.env.example").read_text()
    assert "BEIDAIHE_VAR_DIR=/var/lib/beidaihe\n" in example
    assert "MEDIA_ROOT=/var/lib/beidaihe/" in example


def test_every_stored_file_is_under_the_one_storage_root():
    """Attachments, issued documents, exports and every other stored file go to the
    default storage — MEDIA_ROOT, what `manage.py backup` archives — none to a storage of
    its own that a backup would miss."""
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.db.models import FileField

    fields = [f for model in apps.get_models() for f in model._meta.get_fields()
              if isinstance(f, FileField)]
    assert {f.model._meta.label for f in fields} >= {"documents.Document", "core.Attachment"}
    elsewhere = [f"{f.model._meta.label}.{f.name}" for f in fields
                 if f.storage is not default_storage]
    assert elsewhere == []
