"""``make bench ARGS=deadlines`` (issue 3 item 9): one sweep tick over 1,000,000 open
deadlines of which 5 % cross their reminder threshold, next to a bare SQL ``UPDATE`` of the
same rows; and the number of reminders the tick made. Targets: within 2 × the bare
UPDATE; exactly one reminder per deadline due.

Everything runs inside one transaction that is rolled back at the end, so the database
the command points at is left as it was. PostgreSQL only (the figures mean nothing on
SQLite).
"""
from __future__ import annotations

import datetime as dt
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from core import bench
from core.models import Membership, Organization, OrgKind, Role, User

from . import sweep
from .models import Deadline, Reminder

ROWS = 1_000_000
CROSSING_EVERY = 20  # 5 %
UNITS = 1_000
RATIO_TARGET = 2.0


class _Rollback(Exception):
    pass


def _populate(now: dt.datetime) -> int:
    orgs = Organization.objects.bulk_create([
        Organization(name=f"基准测试单位{i}", short_name=f"基准{i}", kind=OrgKind.DEPARTMENT)
        for i in range(UNITS)])
    users = User.objects.bulk_create([User(username=f"bench-user-{i}", real_name=f"基准用户{i}")
                                      for i in range(UNITS)])
    Membership.objects.bulk_create([Membership(user=u, organization=o, role=Role.OFFICER)
                                    for u, o in zip(users, orgs)])
    first_org = orgs[0].pk
    org_type = ContentType.objects.get_for_model(Organization).pk
    table = Deadline._meta.db_table
    with connection.cursor() as cursor:
        # One INSERT … SELECT: a million rows in seconds. Every 20th row's reminder time
        # has come (its warning is due); the others wait for tomorrow.
        cursor.execute(f"""
            INSERT INTO {table} (target_type_id, target_id, target_repr, rule, responsible_id,
                start, due, state, provisional, escalation_level, reason, period, warn_at,
                remind_at, reminder_stage, created_at)
            SELECT %s, (%s + g %% %s)::text, '基准事项' || g, 'township_transfer',
                %s + g %% %s, %s, %s, 'open', false, 0, '', '', %s,
                CASE WHEN g %% %s = 0 THEN %s ELSE %s END, 0, %s
            FROM generate_series(1, %s) AS g""",
            [org_type, first_org, UNITS, first_org, UNITS, now - dt.timedelta(days=2),
             now + dt.timedelta(days=2), now - dt.timedelta(minutes=1), CROSSING_EVERY,
             now - dt.timedelta(minutes=1), now + dt.timedelta(days=1), now, ROWS])
        cursor.execute(f"ANALYZE {table}")
    return ROWS // CROSSING_EVERY


def _in_savepoint(fn):
    """Run ``fn`` and undo what it wrote, so each measurement starts from the same rows."""
    sid = transaction.savepoint()
    try:
        return fn()
    finally:
        transaction.savepoint_rollback(sid)


def _bare_update(now: dt.datetime) -> tuple[float, int]:
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(
            f"UPDATE {Deadline._meta.db_table} SET reminder_stage = 1, remind_at = due "
            "WHERE state = 'open' AND remind_at <= %s AND reminder_stage = 0", [now])
        return time.perf_counter() - start, cursor.rowcount


def _sweep(now: dt.datetime) -> tuple[float, tuple[int, int, int]]:
    start = time.perf_counter()
    result = sweep.sweep(now=now)
    elapsed = time.perf_counter() - start
    stored = Reminder.objects.count()
    per_deadline = Reminder.objects.values("deadline").distinct().count()
    return elapsed, (result.reminders, stored, per_deadline)


def run() -> list[bench.Figure]:
    if connection.vendor != "postgresql":
        raise RuntimeError("the deadline benchmark needs PostgreSQL (set DATABASE_URL)")
    now = timezone.now()
    figures: list[bench.Figure] = []
    try:
        with transaction.atomic():
            start = time.perf_counter()
            crossing = _populate(now)
            figures.append(bench.Figure("写入 100 万条进行中期限", time.perf_counter() - start, "s"))
            bare_times, sweep_times = [], []
            for _ in range(3):
                elapsed, updated = _in_savepoint(lambda: _bare_update(now))
                assert updated == crossing
                bare_times.append(elapsed)
                elapsed, counts = _in_savepoint(lambda: _sweep(now))
                sweep_times.append(elapsed)
            bare, swept = min(bare_times), min(sweep_times)
            made, stored, distinct = counts
            figures += [
                bench.Figure("裸 SQL UPDATE（5 万行）", bare, "s"),
                bench.Figure("清扫一次（5 万行，含提醒与消息）", swept, "s",
                             f"≤ {RATIO_TARGET:g} × 裸 UPDATE", swept <= RATIO_TARGET * bare),
                bench.Figure("倍数", swept / bare, "×"),
                bench.Figure("到期提醒数", made, "条", f"= {crossing}",
                             made == stored == distinct == crossing),
            ]
            raise _Rollback
    except _Rollback:
        pass
    return figures


bench.register("deadlines", run, "期限清扫：100 万条进行中期限、5% 到达提醒时点时每次清扫耗时与裸 UPDATE 对比")
