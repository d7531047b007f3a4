"""``make bench ARGS=deadlines`` (issue 3 item 9, issue 22 item 6): one sweep tick over
1,000,000 open deadlines of which 5 % cross their reminder threshold, next to

- the floor: the same writes in plain set-based SQL, in the same batches the sweep takes —
  per batch one statement, ``UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)
  RETURNING`` feeding ``INSERT … SELECT`` of the reminders, the notifications (the unit's
  active members and the person responsible, joined in the database) and the audit events;
- a bare SQL ``UPDATE`` of the same deadline rows, and nothing else.

The bench checks that the sweep and the floor wrote the same numbers of rows in every
table (deadline rows claimed, reminders, notifications, events), and that every deadline
due got exactly one reminder. Target: the sweep within 2 × the floor.

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

from core.models import Event

from . import rules, sweep
from .models import Deadline, Notification, Reminder

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


_FLOOR = """
    WITH labels AS (SELECT * FROM unnest(%(codes)s::text[], %(labels)s::text[]) AS l(code, label)),
    picked AS MATERIALIZED (
        SELECT id FROM {deadline} WHERE state = 'open' AND remind_at <= %(now)s
        ORDER BY remind_at LIMIT %(limit)s FOR UPDATE SKIP LOCKED),
    updated AS (
        UPDATE {deadline} AS d SET
            state = CASE WHEN d.due <= %(now)s THEN 'overdue' ELSE d.state END,
            escalation_level = CASE WHEN d.due <= %(now)s THEN 1 ELSE d.escalation_level END,
            remind_at = CASE WHEN d.due <= %(now)s THEN NULL ELSE d.due END,
            reminder_stage = CASE WHEN d.due <= %(now)s THEN d.reminder_stage ELSE 1 END
        FROM picked, {organization} AS o
        WHERE d.id = picked.id AND o.id = d.responsible_id AND d.state = 'open'
          AND (d.due <= %(now)s OR d.reminder_stage = 0)
        RETURNING d.id, d.due <= %(now)s AS overdue, d.responsible_id AS org, d.person_id AS person,
                  d.rule, d.target_repr, o.name, d.due),
    claimed AS MATERIALIZED (
        SELECT u.*, coalesce(l.label, u.rule) AS label,
               to_char(u.due AT TIME ZONE 'Asia/Shanghai', 'YYYY"年"FMMM"月"FMDD"日"HH24:MI') AS due_text
        FROM updated u LEFT JOIN labels l ON l.code = u.rule),
    reminders AS (
        INSERT INTO {reminder} (deadline_id, kind, created_at)
        SELECT c.id, k.kind, now() FROM claimed c CROSS JOIN LATERAL unnest(
            CASE WHEN c.overdue THEN ARRAY['due', 'overdue'] ELSE ARRAY['due_soon'] END) AS k(kind)),
    recipients AS (
        SELECT c.id, m.user_id FROM claimed c
        JOIN {membership} m ON m.organization_id = c.org
        JOIN {user} u ON u.id = m.user_id AND u.is_active
        UNION
        SELECT c.id, c.person FROM claimed c WHERE c.person IS NOT NULL),
    notifications AS (
        INSERT INTO {notification} (recipient_id, organization_id, subject, body,
            target_type_id, target_id, url, created_at)
        SELECT r.user_id, c.org,
               left(CASE WHEN c.overdue THEN '期限已届满：' ELSE '临期提醒：' END
                    || c.label || '（' || c.target_repr || '）', 200),
               CASE WHEN c.overdue
                    THEN '该事项的期限已于 ' || c.due_text || ' 届满，尚未办结，已报区司法局督办。请尽快办理并说明原因。'
                    ELSE '该事项的期限将于 ' || c.due_text || ' 届满，还剩一个工作日，请按时办结。' END,
               %(deadline_type)s, c.id::text, '/deadlines/' || c.id || '/', now()
            FROM recipients r JOIN claimed c ON c.id = r.id
        UNION ALL
        SELECT s.id, NULL, left('逾期督办：' || c.name || '“' || c.label || '”已逾期', 200),
               c.name || '办理的“' || c.target_repr || '”期限已于 ' || c.due_text || ' 届满，尚未办结。',
               %(deadline_type)s, c.id::text, '/deadlines/' || c.id || '/', now()
            FROM claimed c CROSS JOIN unnest(%(supervisors)s::bigint[]) AS s(id) WHERE c.overdue),
    events AS (
        INSERT INTO {event} (created_at, organization_id, verb, target_type_id, target_id,
            target_repr, changes, note, prev_hash, hash)
        SELECT now(), c.org, CASE WHEN c.overdue THEN 'deadline.overdue' ELSE 'deadline.due_soon' END,
               %(deadline_type)s, c.id::text, left(c.label || '：' || c.target_repr, 200),
               CASE WHEN c.overdue THEN '{{"state": ["open", "overdue"]}}'::jsonb
                    ELSE '{{"reminder_stage": [0, 1]}}'::jsonb END,
               CASE WHEN c.overdue THEN '届满未完成，已督办至区司法局' ELSE '还剩一个工作日，已提醒责任单位' END,
               '', ''
            FROM claimed c)
    SELECT count(*) FROM claimed"""


def _floor(now: dt.datetime) -> tuple[float, dict]:
    """The sweep's writes in plain set-based SQL, batch by batch as the sweep takes them."""
    from . import selectors

    sql = _FLOOR.format(**{name: connection.ops.quote_name(model._meta.db_table) for name, model in {
        "deadline": Deadline, "organization": Organization, "reminder": Reminder,
        "membership": Membership, "user": User, "notification": Notification, "event": Event,
    }.items()})
    codes = [code for code, _label in rules.rule_choices()]
    params = {"now": now, "limit": sweep.BATCH_SIZE, "codes": codes,
              "labels": [rules.rule_label(code) for code in codes],
              "deadline_type": ContentType.objects.get_for_model(Deadline).pk}
    before = _counts()
    start = time.perf_counter()
    params["supervisors"] = list(selectors.supervisors().values_list("pk", flat=True))
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, params)
            if not cursor.fetchone()[0]:
                break
    elapsed = time.perf_counter() - start
    return elapsed, _written(before)


def _sweep(now: dt.datetime) -> tuple[float, dict]:
    before = _counts()
    start = time.perf_counter()
    result = sweep.sweep(now=now)
    elapsed = time.perf_counter() - start
    written = _written(before)
    written["提醒（清扫报告）"] = result.reminders
    return elapsed, written


def _counts() -> dict:
    return {
        "期限（已认领）": Deadline.objects.filter(reminder_stage=1).count()
        + Deadline.objects.filter(state="overdue").count(),
        "提醒": Reminder.objects.count(),
        "提醒涉及期限": Reminder.objects.values("deadline").distinct().count(),
        "消息": Notification.objects.count(),
        "审计事件": Event.objects.count(),
    }


def _written(before: dict) -> dict:
    return {name: count - before[name] for name, count in _counts().items()}


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
            bare_times, floor_times, sweep_times = [], [], []
            for _ in range(3):  # taking turns, so a busy machine slows all three alike
                elapsed, updated = _in_savepoint(lambda: _bare_update(now))
                assert updated == crossing
                bare_times.append(elapsed)
                elapsed, floor_written = _in_savepoint(lambda: _floor(now))
                floor_times.append(elapsed)
                elapsed, swept_written = _in_savepoint(lambda: _sweep(now))
                sweep_times.append(elapsed)
            bare, floor, swept = min(bare_times), min(floor_times), min(sweep_times)
            made = swept_written.pop("提醒（清扫报告）")
            figures += [
                bench.Figure("裸 SQL UPDATE（5 万行，仅期限）", bare, "s"),
                bench.Figure("底线：同样写入的集合式 SQL（同批次）", floor, "s"),
                bench.Figure("清扫一次（5 万行，含提醒、消息与审计事件）", swept, "s",
                             f"≤ {RATIO_TARGET:g} × 底线", swept <= RATIO_TARGET * floor),
                bench.Figure("倍数（清扫 / 底线）", swept / floor, "×"),
                bench.Figure("倍数（清扫 / 裸 UPDATE）", swept / bare, "×"),
                *(bench.Figure(f"写入行数：{name}（清扫；底线 {floor_written.get(name, 0)}）", count,
                               "行", "与底线相同", count == floor_written.get(name))
                  for name, count in swept_written.items()),
                bench.Figure("到期提醒数", made, "条", f"= {crossing}",
                             made == swept_written["提醒"] == swept_written["提醒涉及期限"] == crossing),
            ]
            raise _Rollback
    except _Rollback:
        pass
    return figures


bench.register("deadlines", run,
               "期限清扫：100 万条进行中期限、5% 到达提醒时点时每次清扫耗时，与同样写入的集合式 SQL 底线及裸 UPDATE 对比")
