"""`make run` on PostgreSQL (README, "PostgreSQL roles"): which URL migrates and which one
serves. Prints shell assignments for scripts/run.sh:

- ``OWNER_URL``: the owner of the tables, for ``migrate`` and ``db_roles`` —
  ``DATABASE_OWNER_URL``, or ``DATABASE_URL`` when that is not set;
- ``APP_URL``, ``APP_ROLE``, ``APP_PASSWORD``: the application's role, for the web server,
  the worker and beat — ``DATABASE_URL`` when ``DATABASE_OWNER_URL`` is set; otherwise the
  role ``<database>_app`` on the owner's server, with a password made once and kept in
  ``var/db-app-password`` (readable by its owner only)."""
import os
import re
import secrets
import shlex
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

VAR = Path(__file__).resolve().parent.parent / "var"


def _password() -> str:
    path = VAR / "db-app-password"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def main() -> None:
    database_url = os.environ["DATABASE_URL"]
    owner_url = os.environ.get("DATABASE_OWNER_URL") or ""
    if owner_url:
        app = urlsplit(database_url)
        if not app.username:
            sys.exit("DATABASE_URL 须写明应用程序使用的数据库角色（用户名）。")
        app_url, role, password = database_url, unquote(app.username), unquote(app.password or "")
    else:
        owner_url = database_url
        owner = urlsplit(owner_url)
        role = re.sub(r"[^a-z0-9_]", "_", owner.path.lstrip("/").lower())[:59] + "_app"
        password = _password()
        host = owner.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{role}:{quote(password, safe='')}@{host}" + (f":{owner.port}" if owner.port else "")
        app_url = urlunsplit((owner.scheme, netloc, owner.path, owner.query, owner.fragment))
    for name, value in (("OWNER_URL", owner_url), ("APP_URL", app_url), ("APP_ROLE", role),
                        ("APP_PASSWORD", password)):
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
