"""Backup and restore (issue 22 item 4): `manage.py backup` writes a PostgreSQL dump, the
stored files and a manifest with checksums; `manage.py restore` goes only into an empty
database and storage root, only from a backup that matches its manifest, and the restored
copy keeps its audit hash chain and every issued document's sha256."""
from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from core import audit_chain
from core.audit import audit_record
from core.backup import DUMP, MANIFEST, MEDIA
from core.models import Event, OrgKind
from core.testing import OrganizationFactory, justice_bureau, supervisor
from documents.models import Document

# As the owner (conftest.py): backup and restore are the owner's work — the tests create and
# drop databases, and restore creates every table.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_owner]

SHOW_DOCUMENTS = (
    "import hashlib, json\n"
    "from documents.models import Document\n"
    "print(json.dumps({d.number: [d.sha256, hashlib.sha256(d.file.read()).hexdigest()]"
    " for d in Document.objects.all()}))"
)


def _admin_connection():
    db = connection.settings_dict
    conn = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
                            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    """Empty databases beside the test database, dropped afterwards."""
    made = []

    def make(suffix: str) -> str:
        name = f"{connection.settings_dict['NAME']}_{suffix}"
        conn = _admin_connection()  # autocommit: CREATE DATABASE runs outside a transaction
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        conn.close()
        made.append(name)
        return name

    yield make
    conn = _admin_connection()
    with conn.cursor() as cursor:
        for name in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """manage.py in a process of its own, on another database and storage root."""
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media),
           "DJANGO_SETTINGS_MODULE": "beidaihe_supervision.settings"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def _tables(database: str) -> int:
    db = connection.settings_dict
    conn = psycopg2.connect(dbname=database, user=db["USER"], password=db["PASSWORD"] or None,
                            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        count = cursor.fetchone()[0]
    conn.close()
    return count


@pytest.fixture
def issued(tmp_path):
    """An issued document (its PDF under MEDIA_ROOT, its audit events) and a sealed trail."""
    from documents import services

    department = OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监",
                                     kind=OrgKind.DEPARTMENT)
    document = services.supervision_notice_issue(
        actor=supervisor(), issuer=justice_bureau(), addressee=department,
        facts="3件案件未告知当事人陈述、申辩的权利。", legal_basis="《中华人民共和国行政处罚法》第四十四条。",
        rectification="逐件复查，依法纠正。", deadline=timezone.localdate() + dt.timedelta(days=20),
        report_method="书面报告区司法局。")
    for i in range(3):
        audit_record(actor=None, verb="update", note=f"备份前的第{i}条记录")
    assert audit_chain.seal() > 0
    return document


def test_a_backup_restored_into_a_fresh_database_keeps_the_chain_and_every_documents_sha256(
        issued, tmp_path, fresh_database):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))

    manifest = json.loads((backup / MANIFEST).read_text())
    assert set(manifest["files"]) == {DUMP, MEDIA}
    for name, meta in manifest["files"].items():
        assert hashlib.sha256((backup / name).read_bytes()).hexdigest() == meta["sha256"]
        assert (backup / name).stat().st_size == meta["size"]
    assert manifest["media"][issued.file.name] == {"sha256": issued.sha256, "size": issued.size}
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    assert manifest["migrations"] == {app: [name] for app, name in sorted(leaves)}
    assert manifest["versions"]["postgresql"] == 15

    database, media = fresh_database("restored"), tmp_path / "restored-media"
    result = _manage("restore", str(backup), database=database, media=media)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "审计记录哈希链完整" in result.stdout
    assert (media / issued.file.name).read_bytes() == Path(issued.file.path).read_bytes()

    # The restored copy, checked on its own: the audit chain, and each document's file
    # against the sha256 its row records — and the same documents as the original.
    verified = _manage("audit_verify", database=database, media=media)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "审计记录哈希链完整" in verified.stdout
    shown = _manage("shell", "--no-imports", "-c", SHOW_DOCUMENTS, database=database,
                    media=media)
    assert shown.returncode == 0, shown.stderr
    restored = json.loads(shown.stdout)
    originals = {d.number: d.sha256 for d in Document.objects.all()}
    assert originals and set(restored) == set(originals)
    assert all(row == [originals[number]] * 2 for number, row in restored.items())
    # The trail says what happened: the original, that a backup was taken after the dump;
    # the copy, every event up to the dump and then that it was restored from it.
    taken = Event.objects.get(verb="system.backup")
    assert taken.changes["database_sha256"][1] == manifest["files"][DUMP]["sha256"]
    events = _manage("shell", "--no-imports", "-c",
                     "from core.models import Event; print(list(Event.objects.order_by('pk')"
                     ".values_list('verb', flat=True)))", database=database, media=media)
    verbs = ast.literal_eval(events.stdout.strip())
    original = list(Event.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == original[:-1] + ["system.restore"] and original[-1] == "system.backup"


def test_a_tampered_backup_is_refused_and_nothing_is_restored(issued, tmp_path, fresh_database):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    with tarfile.open(tampered / MEDIA) as tar:
        offset = tar.getmember(issued.file.name).offset_data
    archive = bytearray((tampered / MEDIA).read_bytes())
    archive[offset + 100] ^= 0x01  # one bit of the issued PDF
    (tampered / MEDIA).write_bytes(bytes(archive))

    database, media = fresh_database("tampered"), tmp_path / "tampered-media"
    result = _manage("restore", str(tampered), database=database, media=media)
    assert result.returncode != 0
    assert "media.tar 与清单记录的校验值不符" in result.stderr
    assert _tables(database) == 0 and not media.exists()

    # A manifest edited to match the archive does not help: the PDF's own sha256 no
    # longer matches, and the restore still stops before the database is touched.
    manifest = json.loads((tampered / MANIFEST).read_text())
    manifest["files"][MEDIA]["sha256"] = hashlib.sha256(archive).hexdigest()
    (tampered / MANIFEST).write_text(json.dumps(manifest))
    result = _manage("restore", str(tampered), database=database, media=media)
    assert result.returncode != 0
    assert f"{issued.file.name} 与清单记录的校验值不符" in result.stderr
    assert _tables(database) == 0 and not media.exists()


def test_restore_refuses_a_database_or_storage_root_that_is_not_empty(issued, tmp_path,
                                                                     fresh_database):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))

    with pytest.raises(CommandError, match="不是空的.*只能恢复到新建的空数据库"):
        call_command("restore", str(backup))  # the test database itself, full of rows

    database, media = fresh_database("busy"), tmp_path / "busy-media"
    media.mkdir()
    (media / "left-over.pdf").write_bytes(b"%PDF")
    result = _manage("restore", str(backup), database=database, media=media)
    assert result.returncode != 0
    assert "文件存储目录" in result.stderr and "不是空的" in result.stderr
    assert _tables(database) == 0

    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(backup))
