"""``make bench ARGS=approvals`` (issue 20, M14.2): 100,000 approval decisions imported from
one CSV file in under 60 s with flat memory (peak RSS growth of the 100,000-row import
next to a 10,000-row one; beside it the same run's baseline, the same rows written alone by
COPY, and the CPU seconds of this process and its database process, which a loaded machine
does not inflate as it does wall time), and through the API at least 200 decisions a second in batches
of 500. Runs in its own database, ``bdh_bench_appr`` (``APPROVALS_BENCH_DB``); each run
uses new decision numbers."""
from __future__ import annotations

import csv
import os
import tempfile
import time

from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.bench import PeakRSS, bench_database
from core import bench
from core.bulk import copy_rows
from core.models import Membership, Organization, OrgKind, Role, User

from . import intake, services
from .models import Decision, Route

IMPORT_ROWS = 100_000
IMPORT_TARGET_S = 60.0
API_BATCHES, API_BATCH = 20, 500
API_TARGET = 200.0
ITEM_TYPES = ("食品经营许可", "公共场所卫生许可", "建筑工程施工许可", "旅行社业务经营许可", "未列入路由表的事项")


def _setup() -> User:
    bureau, _ = Organization.objects.get_or_create(
        name="基准区行政审批局", defaults={"short_name": "基审批", "kind": OrgKind.APPROVAL_BUREAU})
    staff, created = User.objects.get_or_create(username="bench_approval", defaults={"real_name": "基准审批人员"})
    if created:
        staff.set_password("Bench-password-2026")
        staff.save()
    Membership.objects.get_or_create(user=staff, organization=bureau, role=Role.APPROVAL_STAFF)
    for i, item_type in enumerate(ITEM_TYPES[:4]):
        department, _ = Organization.objects.get_or_create(
            name=f"基准监管部门{i}", defaults={"short_name": f"基监{i}", "kind": OrgKind.DEPARTMENT})
        if not Route.objects.filter(item_type=item_type).exists():
            services.route_save(actor=staff, item_type=item_type, department=department)
    return staff


def _row(prefix: str, n: int) -> dict:
    return {"number": f"{prefix}〔2026〕{n}号", "item_type": ITEM_TYPES[n % len(ITEM_TYPES)],
            "item_name": "许可证核发", "applicant": f"北戴河区基准商户{n}", "credit_code": f"92130304MA{n:08d}",
            "address": f"北戴河区海宁路{n}号", "decided_on": "2026-11-20", "valid_until": "2031-11-19",
            "content": "准予许可"}


def _csv(path: str, prefix: str, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(intake.template_headers())
        for n in range(1, rows + 1):
            row = _row(prefix, n)
            writer.writerow([row[c.key] for c in intake.COLUMNS])


def _backend_cpu() -> float | None:
    """CPU seconds the database's process for this connection has used (PostgreSQL on this
    machine, /proc readable), None otherwise: on a loaded machine wall time says more
    about the others than about the import."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _import(staff: User, prefix: str, rows: int) -> tuple[float, PeakRSS, int, float | None]:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "审批决定.csv")
        _csv(path, prefix, rows)
        with open(path, "rb") as f, PeakRSS() as memory:
            cpu, db = time.process_time(), _backend_cpu()
            started = time.perf_counter()
            received = services.decisions_import(actor=staff, fileobj=f, name="审批决定.csv")
            elapsed = time.perf_counter() - started
            after = _backend_cpu()
            cpu = time.process_time() - cpu + (after - db if db is not None and after is not None else 0)
    return elapsed, memory, received.created, cpu if db is not None else None


def _floor(staff: User, prefix: str, rows: int) -> float:
    """The same run's baseline: the same decision rows written alone by one COPY per chunk
    (no file read, no validation, no events, deadlines or messages), then rolled back."""
    bureau = Organization.objects.get(name="基准区行政审批局")
    columns = (*intake.FIELDS, "source", "bureau_id", "created_by_id", "status")
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(1, rows + 1, services.CHUNK):
            chunk = [intake.clean_decision(_row(prefix, n))
                     for n in range(start, min(start + services.CHUNK, rows + 1))]
            copy_rows(Decision, columns, [(*(d[f] for f in intake.FIELDS), "import", bureau.pk,
                                           staff.pk, "unrouted") for d in chunk])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks a commit would make
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def _api(staff: User, prefix: str) -> tuple[float, int]:
    client = APIClient(HTTP_HOST="localhost")  # an allowed host under production settings
    token, _ = Token.objects.get_or_create(user=staff)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    started, sent = time.perf_counter(), 0
    for b in range(API_BATCHES):
        batch = [_row(prefix, b * API_BATCH + n) for n in range(1, API_BATCH + 1)]
        response = client.post("/api/v1/approval-decisions/", batch, format="json")
        if response.status_code != 201:
            raise RuntimeError(f"接口返回 {response.status_code}：{response.content[:200]!r}")
        sent += len(batch)
    return time.perf_counter() - started, sent


def _figures():
    with bench_database(os.environ.get("APPROVALS_BENCH_DB", "bdh_bench_appr")):
        staff = _setup()
        run = f"基{int(time.time())}"
        small_s, small, _n, _cpu = _import(staff, f"{run}小", IMPORT_ROWS // 10)
        floor_s = _floor(staff, f"{run}底", IMPORT_ROWS)
        big_s, big, created, big_cpu = _import(staff, f"{run}大", IMPORT_ROWS)
        api_s, sent = _api(staff, f"{run}接口")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE approvals_decision")
    rate = sent / api_s
    return [
        bench.Figure(f"导入 {IMPORT_ROWS // 10:,} 条用时", small_s, "s"),
        bench.Figure(f"导入 {IMPORT_ROWS // 10:,} 条峰值内存增长", small.growth_mb, "MB"),
        bench.Figure(f"导入 {created:,} 条用时", big_s, "s", f"< {IMPORT_TARGET_S:.0f} s",
                     big_s < IMPORT_TARGET_S and created == IMPORT_ROWS),
        bench.Figure(f"同一轮基准：{IMPORT_ROWS:,} 条审批决定仅以 COPY 写入（不含校验、审计、期限）", floor_s, "s"),
        bench.Figure(f"导入用时 ÷ 基准用时", big_s / floor_s, "倍"),
        *([bench.Figure(f"导入 {IMPORT_ROWS:,} 条 CPU 用时（本进程与数据库进程）", big_cpu, "s")]
          if big_cpu is not None else []),
        bench.Figure(f"导入 {IMPORT_ROWS:,} 条峰值内存增长", big.growth_mb, "MB",
                     "≤ 1 万条导入的 2 倍 + 20 MB（平稳）", big.growth_mb <= 2 * small.growth_mb + 20),
        bench.Figure(f"接口批量推送（每批 {API_BATCH} 条，共 {sent:,} 条）", rate, "条/秒",
                     f"≥ {API_TARGET:.0f} 条/秒", rate >= API_TARGET),
    ]


bench.register("approvals", _figures, "审批决定：10 万条导入（用时、内存）与接口批量推送速率（issue 20）")
