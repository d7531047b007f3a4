"""``make bench ARGS=inspections`` (issue 19): the M7.3 monitoring rules over 1,000,000 cases
and 5,000,000 deadlines in PostgreSQL — time and the process's peak memory growth — and the leads
list next to the floor of a bare signed-in page.

The data lives in its own database, ``bdh_bench_insp`` (``INSPECTIONS_BENCH_DB``, opened
by ``cases.bench.bench_database``), generated once inside PostgreSQL and reused afterwards. Targets: the leads computed in under 60 s, the process growing by no more than
a few megabytes whatever the data (the rows never reach Python); the leads list within
3 × the floor."""
from __future__ import annotations

import os
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from core import bench

CASES = 1_000_000
DEADLINES = 5_000_000
LEADS_TARGET_S = 60.0
RATIO_TARGET = 3.0
MEMORY_MB = 30
# (rule, share): the rules the leads read, and the rest of the platform's deadlines.
RULES = [("publicity_licensing_penalty", 30), ("publicity_other", 15), ("discipline_referral", 10),
         ("transfer_acceptance", 10), ("township_transfer", 10), ("resolution_feedback", 10),
         ("rectification", 5), ("info_reports", 10)]


def _load(out=print) -> dict:
    """The organisations and users of ``cases.bench``, then 1,000,000 cases and 5,000,000
    deadlines generated inside PostgreSQL (``generate_series``: minutes, not the half hour a
    COPY from Python takes), once; parties are not needed by any rule."""
    from cases import bench as cases_bench
    from cases.models import EnforcementCase
    from core.models import Organization, OrgKind, Role
    from deadlines.models import Deadline

    departments = cases_bench._departments()
    officer = cases_bench._user("bench_officer", departments[0], Role.OFFICER)
    bureau = Organization.objects.get_or_create(name="基准区司法局", defaults={
        "short_name": "基司", "kind": OrgKind.JUSTICE_BUREAU})[0]
    supervisor = cases_bench._user("bench_supervisor", bureau, Role.SUPERVISOR)
    ids = "ARRAY[" + ",".join(str(d.pk) for d in departments) + "]"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if EnforcementCase.objects.count() != CASES:
            cursor.execute("TRUNCATE deadlines_deadline, cases_party, cases_enforcementcase_officers, "
                           "cases_enforcementcase RESTART IDENTITY CASCADE")
            # A case in ten closed, decided ones fined 5,000 yuan and one in a thousand 80,000.
            cursor.execute(f"""
                INSERT INTO cases_enforcementcase (department_id, number, act_type, field, summary,
                    discovered_at, filed_on, closed_on, status, is_major_decision, decision_date,
                    decision_summary, penalty_amount, published_on, publicity_channel, created_by_id,
                    created_at, updated_at)
                SELECT ({ids})[1 + i %% {len(departments)}], '基罚〔2026〕' || i || '号',
                       CASE WHEN i %% 10 < 6 THEN 'penalty' ELSE 'inspection' END, 'market', '经查，当事人存在违法行为。',
                       now(), DATE '2020-01-01' + (i %% 2400), DATE '2020-01-01' + (i %% 2400) + 30,
                       CASE WHEN i %% 10 < 7 THEN 'closed' ELSE 'decided' END, false,
                       DATE '2020-01-01' + (i %% 2400) + 20, '罚款', CASE WHEN i %% 1000 = 0 THEN 80000 ELSE 5000 END,
                       NULL, '', %s, now(), now()
                FROM generate_series(1, {CASES}) AS i""", [officer.pk])
        if Deadline.objects.count() != DEADLINES:
            cursor.execute("TRUNCATE deadlines_deadline RESTART IDENTITY CASCADE")
            case_type = ContentType.objects.get_for_model(EnforcementCase).pk
            rules = "ARRAY[" + ",".join(f"'{r}'" for r, w in RULES for _ in range(w // 5)) + "]"
            # 85 % met in time, 8 % late, 4 % overdue, 3 % cancelled.
            cursor.execute(f"""
                INSERT INTO deadlines_deadline (target_type_id, target_id, target_repr, rule, responsible_id,
                    start, due, state, met_at, provisional, escalation_level, reason, period, warn_at,
                    reminder_stage, created_at)
                SELECT %s, (1 + i %% {CASES})::text, '基罚〔2026〕' || (1 + i %% {CASES}) || '号',
                       ({rules})[1 + (i / 7) %% array_length({rules}, 1)], ({ids})[1 + i %% {len(departments)}],
                       s, s + interval '10 days',
                       CASE WHEN i %% 100 < 93 THEN 'met' WHEN i %% 100 < 97 THEN 'overdue' ELSE 'cancelled' END,
                       CASE WHEN i %% 100 < 85 THEN s + interval '3 days'
                            WHEN i %% 100 < 93 THEN s + interval '20 days' END,
                       false, 0, '', '', s, 0, s
                FROM (SELECT i, TIMESTAMPTZ '2024-01-01 00:00+08' + (i %% 900) * interval '1 day' AS s
                      FROM generate_series(1, {DEADLINES}) AS i) g""", [case_type])
            cursor.execute("VACUUM ANALYZE cases_enforcementcase")
            cursor.execute("VACUUM ANALYZE deadlines_deadline")
            out(f"  已生成 {CASES:,} 件案件、{DEADLINES:,} 条期限，用时 {time.perf_counter() - started:.1f} 秒")
    return {"supervisor": supervisor}


def _compute() -> tuple[float, float, int]:
    """Seconds, peak memory growth (MB) and leads written by one computation from scratch."""
    from cases.bench import PeakRSS

    from . import services
    from .models import Lead

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inspections_lead")
    with PeakRSS() as rss:
        started = time.perf_counter()
        services.leads_compute()
        seconds = time.perf_counter() - started
    return seconds, rss.growth_mb, Lead.objects.count()


def _figures():
    from cases import bench as cases_bench
    from cases.models import EnforcementCase

    os.environ.setdefault("CASES_BENCH_DB", os.environ.get("INSPECTIONS_BENCH_DB", "bdh_bench_insp"))
    with cases_bench.bench_database():
        people = _load()
        cases = EnforcementCase.objects.count()
        full_s, full_mb, leads = _compute()
        client = bench.signed_in_client(people["supervisor"])

        def get(url: str):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        floor_s, list_s, filtered_s = bench.paired(
            lambda: get(reverse("password_change")), lambda: get(reverse("inspections:leads")),
            lambda: get(reverse("inspections:leads") + "?rule=publicity_late&page=50"))
    return [
        bench.Figure(f"监测线索计算（{cases:,} 件案件、{DEADLINES:,} 条期限）", full_s, "s",
                     f"< {LEADS_TARGET_S:.0f} s", full_s < LEADS_TARGET_S),
        bench.Figure("写入线索", leads, "条"),
        # Set-based: no row reaches Python, so the process grows by what Django itself needs.
        bench.Figure("计算时峰值内存增长", full_mb, "MB", f"≤ {MEMORY_MB} MB（与数据量无关）",
                     full_mb <= MEMORY_MB),
        bench.Figure("底线：已登录的空白页面", floor_s * 1000, "ms"),
        bench.Figure("线索列表第 1 页", list_s * 1000, "ms"),
        bench.Figure("线索列表 / 底线", list_s / floor_s, "倍", f"≤ {RATIO_TARGET}", list_s / floor_s <= RATIO_TARGET),
        bench.Figure("线索列表（按规则筛选）第 50 页 / 底线", filtered_s / floor_s, "倍", f"≤ {RATIO_TARGET}",
                     filtered_s / floor_s <= RATIO_TARGET),
    ]


bench.register("inspections", _figures,
               "监督检查：100 万件案件、500 万条期限下的大数据监测线索计算与线索列表（issue 19）")
