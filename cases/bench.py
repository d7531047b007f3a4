"""``make bench ARGS=cases`` (issue 5, part 5): the case list and the Excel export on
1,000,000 cases and 3,000,000 parties in PostgreSQL, next to the floor of a bare
authenticated page on the same stack (the password-change form: session, user,
middleware, base template).

The data lives in its own database, ``bdh_bench`` (``CASES_BENCH_DB``), created and
loaded with COPY on the first run and reused afterwards; the default database is
restored when the benchmark ends. Targets: list pages 1 and 500 (one department, one
status) within 3 × the floor; queries per page the same for 25 and 100 rows; export
memory flat (peak RSS of a 100,000-row export next to a 10,000-row one).
``CASES_BENCH_EXPORT=0`` leaves the two exports out (they take minutes) and times the
list alone.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import threading
import time
from typing import Iterator

import psutil
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import bench
from core.models import Membership, Organization, OrgKind, Role, User

RATIO_TARGET = 3.0
CASES = 1_000_000
PARTIES_PER_CASE = 3
DEPARTMENTS = 20
EXPORT_ROWS = 100_000
CHUNK = 50_000
STATUS_WEIGHTS = {"closed": 70, "executing": 8, "decided": 6, "legal_review": 2,
                  "investigating": 9, "filed": 5}


@contextlib.contextmanager
def bench_database(name: str = "") -> Iterator[str]:
    """Point the default connection at the benchmark database (created if missing):
    ``name`` — another benchmark's own (complaints: ``bdh_bench_compl``) —, or the cases
    benchmark's (``CASES_BENCH_DB``)."""
    import psycopg2

    default = connections["default"].settings_dict
    if default["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("基准测试需要 PostgreSQL（设置 DATABASE_URL）。")
    name = name or os.environ.get("CASES_BENCH_DB", "bdh_bench")
    server = psycopg2.connect(dbname="postgres", user=default["USER"], password=default["PASSWORD"],
                              host=default["HOST"] or None, port=default["PORT"] or None)
    server.autocommit = True
    with server.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    server.close()
    original = default["NAME"]
    connections["default"].close()
    default["NAME"] = settings.DATABASES["default"]["NAME"] = name
    try:
        call_command("migrate", verbosity=0)
        yield name
    finally:
        connections["default"].close()
        default["NAME"] = settings.DATABASES["default"]["NAME"] = original


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY rows (tuples of text, None for NULL) in chunks, so memory stays bounded."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)"
    buffer, count = io.StringIO(), 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        raw.copy_expert(sql, buffer)


def _departments() -> list[Organization]:
    orgs = []
    for i in range(DEPARTMENTS):
        org, _ = Organization.objects.get_or_create(
            name=f"基准执法部门{i:02d}", defaults={"short_name": f"基{i:02d}", "kind": OrgKind.DEPARTMENT})
        orgs.append(org)
    return orgs


def _user(username: str, org: Organization, role: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"real_name": username,
                                                                          "certificate_no": f"基准-{username}"})
    if created:
        user.set_password("Bench-password-2026")
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, role=role)
    return user


def load(out=print) -> dict:
    """Create the organisations and users, and COPY the cases and parties once."""
    from .models import EnforcementCase, Party

    departments = _departments()
    officer = _user("bench_officer", departments[0], Role.OFFICER)
    supervisor = _user("bench_supervisor", Organization.objects.get_or_create(
        name="基准区司法局", defaults={"short_name": "基司", "kind": OrgKind.JUSTICE_BUREAU})[0],
        Role.SUPERVISOR)
    have = EnforcementCase.objects.count()
    if have != CASES or Party.objects.count() != CASES * PARTIES_PER_CASE:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE cases_party, cases_enforcementcase_officers, cases_enforcementcase "
                           "RESTART IDENTITY CASCADE")
        rng = random.Random(2026)
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        acts = ["penalty"] * 6 + ["licensing", "inspection", "coercion", "levy"]
        fields = ["market", "food_drug", "urban", "ecology", "work_safety", "transport"]
        dept_ids = [d.pk for d in departments]
        start_day = dt.date(2020, 1, 1)
        now = "2026-11-01 09:00:00+08"

        def cases():
            for i in range(1, CASES + 1):
                filed = start_day + dt.timedelta(days=rng.randrange(2500))
                status = rng.choices(statuses, weights)[0]
                closed = filed + dt.timedelta(days=rng.randrange(1, 90)) if status == "closed" else None
                decided = status in ("decided", "executing", "closed")
                yield (dept_ids[i % DEPARTMENTS], f"基罚〔{filed.year}〕{i}号", rng.choice(acts),
                       rng.choice(fields), "经查，当事人存在违法行为，依法立案调查。",
                       f"{filed - dt.timedelta(days=2)} 10:00:00+08", filed, closed, status,
                       "f", filed + dt.timedelta(days=20) if decided else None,
                       "罚款并责令改正" if decided else "", "5000.00" if decided else None,
                       None, "", officer.pk, now, now)

        _copy("cases_enforcementcase",
              ("department_id", "number", "act_type", "field", "summary", "discovered_at", "filed_on",
               "closed_on", "status", "is_major_decision", "decision_date", "decision_summary",
               "penalty_amount", "published_on", "publicity_channel", "created_by_id", "created_at",
               "updated_at"), cases())
        surnames = "王李张刘陈杨赵黄周吴"

        def parties():
            for case_id in range(1, CASES + 1):
                for k in range(PARTIES_PER_CASE):
                    n = case_id * PARTIES_PER_CASE + k
                    yield (case_id, "person", f"{surnames[n % 10]}某{n}", f"130304{1960 + n % 40}0101{n % 10000:04d}",
                           "masses", "", "", "f", "f")

        _copy("cases_party", ("case_id", "kind", "name", "id_number", "political_status", "employer",
                              "post", "is_party_member", "is_state_functionary"), parties())
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_enforcementcase")
            cursor.execute("VACUUM ANALYZE cases_party")
        out(f"  已载入 {CASES:,} 件案件、{CASES * PARTIES_PER_CASE:,} 名当事人，用时 "
            f"{time.perf_counter() - started:.1f} 秒")
    return {"department": departments[0], "officer": officer, "supervisor": supervisor}


class PeakRSS:
    """Samples this process's resident memory every 20 ms while the block runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.base = self.process.memory_info().rss
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self):
        self.base = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def _export(user: User, rows: int, path: str) -> tuple[float, PeakRSS]:
    from core.exports import Exporter, write_xlsx

    from .exports import CASE_EXPORTER, case_export_queryset

    limited = Exporter(kind="bench", title=CASE_EXPORTER.title, capability=CASE_EXPORTER.capability,
                       headers=CASE_EXPORTER.headers, rows=CASE_EXPORTER.rows,
                       queryset=lambda u, p: case_export_queryset(u, p)[:rows])
    with PeakRSS() as rss:
        started = time.perf_counter()
        written = write_xlsx(exporter=limited, user=user, params={}, dest=path)
        elapsed = time.perf_counter() - started
    assert written == rows, (written, rows)
    return elapsed, rss


def _figures():
    from . import views

    with_export = os.environ.get("CASES_BENCH_EXPORT", "1") != "0"

    with bench_database():
        people = load()
        dept, officer = people["department"], people["officer"]
        client = Client(HTTP_HOST="localhost")
        client.force_login(officer)
        list_url = f"/cases/?department={dept.pk}&status=closed"

        def get(url: str):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        floor_url = reverse("password_change")
        floor_s, page1_s, page500_s = bench.paired(
            lambda: get(floor_url), lambda: get(list_url), lambda: get(list_url + "&page=500"))

        def queries(page_size: int) -> int:
            original, views.CaseList.page_size = views.CaseList.page_size, page_size
            try:
                with CaptureQueriesContext(connection) as ctx:
                    get(list_url + "&page=3")
                return len(ctx.captured_queries)
            finally:
                views.CaseList.page_size = original

        q25, q100 = queries(25), queries(100)
        if not with_export:
            small = big = None
        else:
            tmp = f"/tmp/cases-bench-{os.getpid()}.xlsx"
            try:
                small_s, small = _export(people["supervisor"], EXPORT_ROWS // 10, tmp)
                export_s, big = _export(people["supervisor"], EXPORT_ROWS, tmp)
            finally:
                if os.path.exists(tmp):
                    os.remove(tmp)
    figures = [
        bench.Figure("底线：已登录的空白页面", floor_s * 1000, "ms"),
        bench.Figure("案件列表第 1 页", page1_s * 1000, "ms"),
        bench.Figure("第 1 页 / 底线", page1_s / floor_s, "倍", f"≤ {RATIO_TARGET}",
                     page1_s / floor_s <= RATIO_TARGET),
        bench.Figure("案件列表第 500 页", page500_s * 1000, "ms"),
        bench.Figure("第 500 页 / 底线", page500_s / floor_s, "倍", f"≤ {RATIO_TARGET}",
                     page500_s / floor_s <= RATIO_TARGET),
        bench.Figure("每页查询数（每页 25 条）", q25, "条"),
        bench.Figure("每页查询数（每页 100 条）", q100, "条", "与每页条数无关", q25 == q100),
    ]
    if big is None:
        return figures
    return figures + [
        bench.Figure(f"导出 {EXPORT_ROWS // 10:,} 行用时", small_s, "s"),
        bench.Figure(f"导出 {EXPORT_ROWS // 10:,} 行峰值内存增长", small.growth_mb, "MB"),
        bench.Figure(f"导出 {EXPORT_ROWS:,} 行用时", export_s, "s"),
        bench.Figure(f"导出 {EXPORT_ROWS:,} 行峰值 RSS", big.peak / 2**20, "MB"),
        bench.Figure(f"导出 {EXPORT_ROWS:,} 行峰值内存增长", big.growth_mb, "MB",
                     "≤ 1 万行导出的 2 倍 + 20 MB（平稳）",
                     big.growth_mb <= 2 * small.growth_mb + 20),
    ]


bench.register("cases", _figures, "案件：100 万件案件、300 万名当事人下的列表分页与 10 万行导出（issue 5）")
