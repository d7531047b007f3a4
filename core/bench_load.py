"""``make bench ARGS=load`` (issue 22 item 5): a bounded load test on loopback.

gunicorn with four workers (``deploy/gunicorn.conf.py`` when the repository has it, the
port and worker count from the command line) serves a database of 10,000 cases (with
50,000 deadlines and 500 transfers: the dashboard benchmark's small district, loaded into
``<name>_bench_load`` the first time and kept). 50 simulated users — 40 department
officers and 10 justice-bureau supervisors, each signed in with its own session, the
supervisors with their second factor — each repeat: pick a page, request it, wait as a
person reading would (``THINK`` seconds, uniform), for ``LOAD_BENCH_SECONDS`` (60; at most
120). An officer opens the case list, a case of the department, 我的时限 and the inbox,
and registers a case through the API (one request in ten); a supervisor opens the
dashboard, the district's case list and any case. A new database of its own keeps the
cases registered by earlier runs (some 60 a run); the figures print how many.

Printed: requests per second, p50 and p95 per page, the error count (any answer but 200
or 201, or no answer). Goal: no error, p95 under 500 ms on every page. The driver runs in
this process (threads, a new connection per request — gunicorn's sync workers close
each one), so on a two-core host it takes CPU from the server it measures.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections

from core import bench, processes
from core.models import Membership, Organization, OrgKind, Role, User

CASES = 10_000
USERS, SUPERVISORS = 50, 10
WORKERS = 4
# A person reads a list or a case before the next click: 2 to 8 seconds (5 on average),
# so 50 users ask for some 10 pages a second.
THINK = (2.0, 8.0)
P95_TARGET_MS = 500
WRITE_SHARE = 0.1


@contextlib.contextmanager
def _database():
    """The default connection on ``<name>_bench_load``, created and loaded the first time."""
    from dashboard.bench import _load

    conn = connections["default"]
    name, original = bench.switch_database("bench_load")
    try:
        call_command("migrate", verbosity=0)
        if not User.objects.filter(username="bench_supervisor").exists():
            started = time.perf_counter()
            _load(CASES, 50_000, 500)
            print(f"  （已载入 {name}：{CASES} 件案件，用时 {time.perf_counter() - started:.0f} 秒）")
        yield name
    finally:
        conn.close()
        conn.settings_dict["NAME"] = original
        ContentType.objects.clear_cache()


def _account(username: str, org: Organization, role: str, n: int) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"real_name": f"压测用户{n}", "certificate_no": f"1303099{n:05d}"})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, role=role)
    return user


def _users() -> list[dict]:
    """The simulated users: each with a signed-in session (and an API token for officers)."""
    from rest_framework.authtoken.models import Token

    from cases.models import EnforcementCase

    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk")[:20])
    bureau = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU).order_by("pk").first()
    all_cases = list(EnforcementCase.objects.values_list("pk", flat=True)[:CASES])
    users = []
    for n in range(USERS):
        if n < SUPERVISORS:
            user = _account(f"load_supervisor_{n}", bureau, Role.SUPERVISOR, n)
            users.append({"kind": "supervisor", "user": user, "cases": all_cases})
            continue
        k = n - SUPERVISORS
        org = departments[k % len(departments)]
        user = _account(f"load_officer_{k}", org, Role.OFFICER, n)
        users.append({"kind": "officer", "user": user, "org": org,
                      "cases": list(EnforcementCase.objects.filter(department=org)
                                    .values_list("pk", flat=True)[:500])})
    logging.getLogger("axes").setLevel(logging.WARNING)  # not fifty sign-in lines
    for entry in users:
        client = bench.signed_in_client(entry["user"])
        entry["cookie"] = f"sessionid={client.cookies['sessionid'].value}"
        if entry["kind"] == "officer":
            entry["token"] = Token.objects.get_or_create(user=entry["user"])[0].key
            entry["colleagues"] = [u["user"].pk for u in users
                                   if u.get("org") == entry["org"]][:2]
    return users


def _request(port: int, method: str, path: str, headers: dict, body: bytes | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "localhost", **headers})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _next(user: dict, rng: random.Random) -> tuple[str, str, str, dict, bytes | None]:
    """(page, method, path, headers, body) of the user's next request."""
    cookie = {"Cookie": user["cookie"]}
    case = rng.choice(user["cases"])
    if user["kind"] == "supervisor":
        page = rng.choices(["看板", "案件列表", "案件详情"], [3, 3, 4])[0]
        path = {"看板": "/dashboard/", "案件列表": f"/cases/?page={rng.randint(1, 20)}",
                "案件详情": f"/cases/{case}/"}[page]
        return page, "GET", path, cookie, None
    if rng.random() < WRITE_SHARE:
        payload = {"department": user["org"].pk, "number": f"压测〔2026〕{uuid.uuid4().hex[:10]}号",
                   "act_type": "inspection", "field": "market", "summary": "压力测试登记的检查案件。",
                   "discovered_at": "2026-11-02T09:30:00+08:00", "filed_on": "2026-11-03",
                   "officers": user["colleagues"],
                   "parties": [{"kind": "person", "name": "张某",
                                "id_number": f"130304199001{rng.randrange(10**6):06d}"}]}
        return ("登记案件（接口）", "POST", "/api/v1/cases/",
                {"Authorization": f"Token {user['token']}", "Content-Type": "application/json"},
                json.dumps(payload).encode())
    page = rng.choices(["案件列表", "案件详情", "我的时限", "消息"], [3, 4, 2, 1])[0]
    path = {"案件列表": "/cases/", "案件详情": f"/cases/{case}/", "我的时限": "/deadlines/",
            "消息": "/deadlines/inbox/"}[page]
    return page, "GET", path, cookie, None


def _drive(port: int, users: list[dict], seconds: float) -> tuple[dict, list, float]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def simulate(n: int, user: dict) -> None:
        rng = random.Random(n)
        time.sleep(rng.uniform(0, THINK[1]))  # users arrive spread, not all at once
        while time.monotonic() < stop_at:
            page, method, path, headers, body = _next(user, rng)
            started = time.perf_counter()
            try:
                status = _request(port, method, path, headers, body)
            except OSError as exc:
                status, detail = 0, str(exc)
            elapsed = time.perf_counter() - started
            with lock:
                timings[page].append(elapsed)
                if status not in (200, 201):
                    errors.append(f"{page} {path} → {status or detail}")
            time.sleep(rng.uniform(*THINK))

    threads = [threading.Thread(target=simulate, args=(n, u), daemon=True) for n, u in enumerate(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, errors, time.perf_counter() - started


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def load_benchmark():
    from cases.models import EnforcementCase

    seconds = min(float(os.environ.get("LOAD_BENCH_SECONDS", "60")), 120)
    with _database(), tempfile.TemporaryDirectory(prefix="bdh-load-") as log_dir:
        users = _users()
        cases_before = EnforcementCase.objects.count()
        port = processes.free_port()
        web = processes.gunicorn("web", port=port, workers=WORKERS, env=processes.environment(),
                                 log_dir=Path(log_dir))
        try:
            processes.wait_http(f"http://127.0.0.1:{port}/accounts/login/", process=web)
            # Each worker imports lazily on its first requests: warm all four before timing.
            warm = users[0]["cookie"]
            for _ in range(4 * WORKERS):
                _request(port, "GET", "/dashboard/", {"Cookie": warm})
            timings, errors, elapsed = _drive(port, users, seconds)
        finally:
            web.stop()
        registered = EnforcementCase.objects.count() - cases_before
    total = sum(len(v) for v in timings.values())
    ms = 1000
    figures = [bench.Figure(f"每秒请求数（{USERS} 个用户，{seconds:.0f} 秒）", total / elapsed, "次/秒"),
               bench.Figure("请求总数", total, "次"),
               bench.Figure("其中登记的案件", registered, "件"),
               bench.Figure("库中案件数（开始时）", cases_before, "件")]
    for page in sorted(timings):
        values = timings[page]
        p95 = _p(values, 95) * ms
        figures += [bench.Figure(f"{page} 中位数（{len(values)} 次）", _p(values, 50) * ms, "ms"),
                    bench.Figure(f"{page} 95% 分位", p95, "ms", f"< {P95_TARGET_MS}", p95 < P95_TARGET_MS)]
    figures.append(bench.Figure("错误数", len(errors), "次", "= 0", not errors))
    for line in errors[:10]:
        print(f"  错误：{line}")
    return figures
