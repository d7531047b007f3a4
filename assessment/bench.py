"""``make bench ARGS=assessment``: every registered indicator computed for every appraised
unit for a year over 1,000,000 cases and 5,000,000 deadlines (issue 21), and the number
of statements for 20 units against all of them (it must not grow with the units).

The data lives in its own database, ``bdh_bench_assess`` (``ASSESSMENT_BENCH_DB``): the
cases are the cases benchmark's (``cases.bench.load``), the deadlines are COPYed once,
spread over 200 units, twenty rules and seven years, and the monthly deadline tally is
rebuilt from them as after a bulk load (``core.tallies.rebuild``)."""
from __future__ import annotations

import datetime as dt
import os
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import bench, tallies
from core.models import Organization, OrgKind
from deadlines.models import Deadline
from deadlines.tallies import MONTHLY

DEADLINES = 5_000_000
UNITS = 200
YEAR = 2025
TARGET_S = 10.0


def _units() -> list[int]:
    have = list(Organization.objects.filter(name__startswith="基准考核单位").values_list("pk", flat=True))
    if len(have) >= UNITS:
        return have[:UNITS]
    Organization.objects.bulk_create([
        Organization(name=f"基准考核单位{i:03d}", short_name=f"基考{i:03d}",
                     kind=OrgKind.TOWNSHIP if i % 10 == 0 else OrgKind.DEPARTMENT)
        for i in range(len(have), UNITS)])
    return list(Organization.objects.filter(name__startswith="基准考核单位").values_list("pk", flat=True))


def _load_deadlines(units: list[int], out=print) -> None:
    from cases.bench import _copy

    have = Deadline.objects.count()
    if have >= DEADLINES:
        return
    started = time.perf_counter()
    from .builtin import NOT_A_UNITS_RULE
    from deadlines.rules import RULES

    rules = [code for code in RULES if code not in NOT_A_UNITS_RULE]
    org_type = ContentType.objects.get_for_model(Organization).pk
    rng = random.Random(2125)
    first = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)

    def rows():
        # Resumed where an interrupted load stopped (each COPY chunk commits on its own).
        for _ in range(have):
            rng.randrange(7 * 365 * 24 * 60), rng.randrange(1, 30), rng.random()
        for n in range(have, DEADLINES):
            unit = units[n % len(units)]
            start = first + dt.timedelta(minutes=rng.randrange(7 * 365 * 24 * 60))
            due = start + dt.timedelta(days=rng.randrange(1, 30))
            roll = rng.random()
            state, met = ("met", due - dt.timedelta(hours=2)) if roll < 0.8 else (
                ("met", due + dt.timedelta(days=2)) if roll < 0.9 else ("overdue", None))
            yield (org_type, unit, "基准事项", rules[n % len(rules)], unit, start, due, state,
                   met, "f", 0, "", "", due - dt.timedelta(days=1), 0, start)

    _copy("deadlines_deadline", ("target_type_id", "target_id", "target_repr", "rule",
                                 "responsible_id", "start", "due", "state", "met_at", "provisional",
                                 "escalation_level", "reason", "period", "warn_at", "reminder_stage",
                                 "created_at"), rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE deadlines_deadline")
    tallies.rebuild(MONTHLY)
    out(f"载入 {DEADLINES:,} 条期限并重建汇总：{time.perf_counter() - started:.0f} 秒")


def _figures():
    from cases.bench import bench_database, load

    from . import indicators

    os.environ.setdefault("CASES_BENCH_DB", os.environ.get("ASSESSMENT_BENCH_DB", "bdh_bench_assess"))
    with bench_database():
        load()
        units = _units()
        _load_deadlines(units)
        all_units = list(Organization.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]).values_list("pk", flat=True))
        seconds = bench.timed(lambda: indicators.compute_all(YEAR, all_units), repeat=3)

        def statements(ids) -> int:
            with CaptureQueriesContext(connection) as ctx:
                indicators.compute_all(YEAR, ids)
            return len(ctx.captured_queries)

        few, many = statements(all_units[:20]), statements(all_units)
        count = len(indicators.registered())
    return [
        bench.Figure(f"{len(all_units)} 个单位 × {count} 项指标（100 万件案件、500 万条期限）", seconds, "s",
                     f"≤ {TARGET_S:g}", seconds <= TARGET_S),
        bench.Figure("查询数（20 个单位）", few, "条"),
        bench.Figure(f"查询数（{len(all_units)} 个单位）", many, "条", "与单位数无关", few == many),
    ]


bench.register("assessment", _figures,
               "考核评价：全部单位全部指标的年度计算（100 万件案件、500 万条期限，issue 21）")
