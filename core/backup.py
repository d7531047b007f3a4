"""Backup and restore of a PostgreSQL installation (issue 22 item 4): `manage.py backup`
and `manage.py restore`.

A backup is a folder of three files:

- ``database.dump`` — ``pg_dump -Fc`` of the settings' database (tables, the audit
  trail's triggers and hash functions, the roles' grants);
- ``media.tar`` — every stored file under ``MEDIA_ROOT`` (attachments, issued documents,
  exports);
- ``manifest.json`` — when, from which versions and migration heads, and the sha256 and
  size of both files and of every stored file.

The database is dumped before the files are archived: a file is written before the row
naming it commits and is never changed afterwards, so every row in the dump finds its file
in the archive (a file whose row came later is an orphan, removed by the daily prune).

A restore goes only into an empty database and an empty storage root, and only from a
backup whose checksums match its manifest; it then checks every stored file against the
sha256 its row records and verifies the audit trail's hash chain.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .audit import audit_record

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator."""


@dataclass
class RestoreReport:
    tables: int = 0
    files: int = 0
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    chain_breaks: list[str] = field(default_factory=list)
    missing_migrations: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database() -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("备份与恢复仅支持 PostgreSQL 数据库。")
    return db


def _client_env(db: dict) -> dict[str, str]:
    """The libpq environment for pg_dump/pg_restore: the settings' connection, the password
    never on a command line."""
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _client_major(program: str) -> int:
    try:
        output = subprocess.run([program, "--version"], capture_output=True, text=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise BackupError(f"找不到 PostgreSQL 客户端程序 {program}，请安装 postgresql-client。") from None
    return int(re.search(r"(\d+)(?:\.\d+)?", output).group(1))


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _require_matching_client(program: str) -> int:
    """pg_dump refuses a newer server, and a dump from a newer pg_dump may not restore into
    this one: the client's major version must be the server's."""
    client, server = _client_major(program), _server_major()
    if client != server:
        raise BackupError(f"{program} 的版本（{client}）与数据库服务器（{server}）不一致，"
                          f"请安装 postgresql-client-{server}。")
    return server


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise BackupError(f"{what}失败：{detail}")


def _migration_heads() -> dict[str, list[str]]:
    """Per app, the applied migrations no other applied migration of the app follows."""
    loader = MigrationLoader(connection)
    applied = set(loader.applied_migrations)
    heads: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        node = loader.graph.node_map.get((app_label, name))
        children = {c.key for c in node.children} if node else set()
        if not any(child in applied and child[0] == app_label for child in children):
            heads.setdefault(app_label, []).append(name)
    return heads


def _platform_version() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _stored_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    return sorted((path.relative_to(root).as_posix(), path)
                  for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def backup_create(*, directory: Path) -> dict:
    """Write a backup into ``directory`` (new, or empty); return its manifest."""
    db = _database()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"备份目录 {directory} 已存在且不是空目录，请指定新的目录。")
    server = _require_matching_client("pg_dump")
    directory.mkdir(parents=True, exist_ok=True)
    started = timezone.now()

    env = _client_env(db)
    _run(["pg_dump", "--format=custom", "--no-password", f"--file={directory / DUMP}"],
         env, "数据库导出")

    root = Path(settings.MEDIA_ROOT)
    stored = {}
    with tarfile.open(directory / MEDIA, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in _stored_files(root):
            stored[name] = {"sha256": sha256_of(path), "size": path.stat().st_size}
            tar.add(path, arcname=name, recursive=False)

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "versions": {"platform": _platform_version(), "django": django.get_version(),
                     "python": platform.python_version(), "postgresql": server},
        "database": db["NAME"],
        "migrations": _migration_heads(),
        "files": {name: {"sha256": sha256_of(directory / name),
                         "size": (directory / name).stat().st_size} for name in (DUMP, MEDIA)},
        "media": stored,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    # Recorded after the dump: the trail says a copy of everything was taken, when and
    # where to (the copy holds the trail up to it).
    audit_record(actor=None, verb="system.backup",
                 changes={"directory": [None, str(directory)],
                          "database_sha256": [None, manifest["files"][DUMP]["sha256"]],
                          "stored_files": [None, len(stored)]},
                 note=f"备份到 {directory}（文件 {len(stored)} 个）")
    return manifest


def manifest_read(directory: Path) -> dict:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{directory} 不是本平台的备份：缺少 {MANIFEST}。") from None
    except ValueError:
        raise BackupError(f"备份清单 {path} 已损坏，无法读取。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份清单的格式（{manifest.get('format')}）不是本程序能恢复的格式。")
    return manifest


def backup_verify(directory: Path, manifest: dict) -> None:
    """Each file of the backup has the size and sha256 its manifest records."""
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少 {name}，未作任何恢复。")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"备份文件 {name} 与清单记录的校验值不符，备份可能已损坏或被改动，"
                              "未作任何恢复。")


def _database_objects() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')")
        return cursor.fetchone()[0]


def _unknown_migrations(manifest: dict) -> list[str]:
    """The backup's migration heads this code does not have: a backup of a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    return [f"{app}.{name}" for app, names in manifest["migrations"].items()
            for name in names if (app, name) not in known]


def _archive_verify(archive: Path, expected: dict) -> None:
    """The archive holds exactly the manifest's files, each with its size and sha256 —
    read before anything is restored."""
    with tarfile.open(archive) as tar:
        seen = set()
        for member in tar:
            if member.isdir():
                continue
            meta = expected.get(member.name)
            if not member.isfile() or meta is None or member.size != meta["size"]:
                raise BackupError(f"文件归档中的 {member.name} 不在清单中或大小不符，未作任何恢复。")
            digest = hashlib.file_digest(tar.extractfile(member), "sha256").hexdigest()
            if digest != meta["sha256"]:
                raise BackupError(f"文件归档中的 {member.name} 与清单记录的校验值不符，"
                                  "未作任何恢复。")
            seen.add(member.name)
    if missing := set(expected) - seen:
        raise BackupError(f"文件归档缺少清单中的 {len(missing)} 个文件，未作任何恢复。")


def _unpack(archive: Path, root: Path) -> int:
    with tarfile.open(archive) as tar:
        # "data": no absolute paths, no "..", no links out of the root, no device files.
        tar.extractall(root, filter="data")
        return sum(1 for member in tar.getmembers() if member.isfile())


def _hashed_file_models() -> list[tuple[type[models.Model], str]]:
    """Every model that keeps a stored file with its sha256 (attachments, issued documents,
    complaint materials …)."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        files = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        if "sha256" in names and len(files) == 1:
            found.append((model, files[0]))
    return found


def stored_files_check() -> tuple[int, list[str]]:
    """Each stored file whose row records a sha256 is there and has that sha256: how many
    were checked, and a line per file missing or different."""
    checked, problems = 0, []
    for model, field_name in _hashed_file_models():
        rows = model._default_manager.exclude(**{field_name: ""}).values_list(
            "pk", field_name, "sha256")
        for pk, name, expected in rows.iterator():
            checked += 1
            label = f"{model._meta.verbose_name} {pk}（{name}）"
            try:
                with default_storage.open(name, "rb") as f:
                    digest = hashlib.file_digest(f, "sha256").hexdigest()
            except FileNotFoundError:
                problems.append(f"{label}：文件缺失")
                continue
            if digest != expected:
                problems.append(f"{label}：校验值与记录不符")
    return checked, problems


def restore(*, directory: Path) -> RestoreReport:
    """Restore the backup in ``directory`` into the settings' database and MEDIA_ROOT,
    both empty; refuse before changing anything when either is not empty or the backup
    does not match its manifest."""
    from core import audit_chain

    db = _database()
    manifest = manifest_read(directory)
    backup_verify(directory, manifest)
    if (objects := _database_objects()) > 0:
        raise BackupError(f"数据库 {db['NAME']} 不是空的（已有 {objects} 个表或序列），"
                          "只能恢复到新建的空数据库。")
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BackupError(f"文件存储目录 {root} 不是空的，只能恢复到空目录。")
    _archive_verify(directory / MEDIA, manifest["media"])
    if unknown := _unknown_migrations(manifest):
        raise BackupError("备份来自较新版本的平台（本程序没有迁移 " + "、".join(unknown)
                          + "），请先升级程序再恢复。")
    _require_matching_client("pg_restore")

    report = RestoreReport()
    _run(["pg_restore", "--no-password", "--single-transaction", "--exit-on-error",
          f"--dbname={db['NAME']}", str(directory / DUMP)], _client_env(db), "数据库恢复")
    connection.close()  # a fresh connection sees the restored schema
    report.tables = _database_objects()

    root.mkdir(parents=True, exist_ok=True)
    report.files = _unpack(directory / MEDIA, root)
    report.checked, report.problems = stored_files_check()
    report.chain_breaks = [str(item) for item in audit_chain.verify()]
    loader = MigrationLoader(connection)
    report.missing_migrations = [f"{app}.{name}" for app, name in loader.graph.leaf_nodes()
                                 if (app, name) not in loader.applied_migrations]
    # The restored trail's next event says where the data came from (after the chain was
    # checked: the check is of the copy as it was taken).
    audit_record(actor=None, verb="system.restore",
                 changes={"backup_created_at": [None, manifest["created_at"]],
                          "database_sha256": [None, manifest["files"][DUMP]["sha256"]],
                          "stored_files": [None, report.files]},
                 note=f"从 {manifest['created_at'][:19].replace('T', ' ')} 的备份恢复（来源数据库 {manifest['database']}）")
    return report

