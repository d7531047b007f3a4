"""The sweep: the only code that reminds about deadlines and turns them overdue.

Run by beat every minute (settings.CELERY_BEAT_SCHEDULE). Each tick takes the open rows
whose next step has come (the partial index ``deadline_sweep_open``) in batches of at most
``BATCH_SIZE``, and for each batch, in one transaction:

1. claims the rows: on PostgreSQL one statement, ``UPDATE … FROM (SELECT … FOR UPDATE SKIP
   LOCKED LIMIT n) … WHERE state = 'open' AND … RETURNING`` — a second sweep running at the
   same moment takes other rows instead of waiting for these, and only the rows that come
   back are this sweep's to remind, so a row is never reminded twice (healthchecks'
   ``sendalerts``). Elsewhere (SQLite, ``make run``) the rows are selected, then each step
   claimed with a conditional ``UPDATE … WHERE state = 'open' AND reminder_stage = <old>
   RETURNING id``;
2. writes the reminder rows (unique per deadline and kind, the last line of defence), the
   notifications and the audit events — on PostgreSQL in one ``INSERT … SELECT`` statement
   over the batch's rows, the recipients (the unit's active members, the person responsible,
   the justice bureau's supervisors for an escalation) joined in the database; elsewhere
   with ``bulk_create`` —, and queues the e-mails (the outbox: a notification stays unsent
   until the mail server accepted it) and the recount of the dashboard's tallies
   (deadlines.tallies) for after the commit.

The texts (subjects, bodies, links) are written in Python once per deadline
(``_notifications``), for both paths. The audit events are inserted like any other: the
database sets their time and seals them into the hash chain later (core/audit_chain.py).

A worker killed in the middle rolls the whole batch back: nothing was claimed, nothing is
lost, and the next tick does it again. If a batch fails, its rows are retried one by one,
each in its own transaction, so one bad row is logged and the others go on; a batch that
committed is never retried nor logged as failed (what runs after its commit only logs).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core import formats
from core.models import Event, Membership, User

from . import rules, selectors, tallies
from .models import Deadline, DeadlineState, Notification, Reminder, ReminderKind, ReminderStage

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
FIELDS = ("id", "due", "reminder_stage", "rule", "responsible_id", "responsible__name",
          "person_id", "target_repr")

DUE_SOON_CHANGES = {"reminder_stage": [int(ReminderStage.NONE), int(ReminderStage.WARNED)]}
DUE_SOON_NOTE = "还剩一个工作日，已提醒责任单位"
OVERDUE_CHANGES = {"state": [DeadlineState.OPEN.value, DeadlineState.OVERDUE.value]}
OVERDUE_NOTE = "届满未完成，已督办至区司法局"


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    reminders: int = 0
    failed: list[int] = field(default_factory=list)


class Texts(NamedTuple):
    """What one claimed deadline's messages and event say (``_notifications``)."""

    deadline_id: int
    url: str
    event_repr: str
    subject: str  # to the responsible unit's members and the person responsible
    body: str
    supervisor_subject: str = ""  # to the justice bureau's supervisors (overdue only)
    supervisor_body: str = ""


def set_based() -> bool:
    """The set-based statements (PostgreSQL); elsewhere the portable ORM path."""
    return connection.vendor == "postgresql"


def sweep(now: dt.datetime | None = None, batch_size: int = BATCH_SIZE,
          portable: bool | None = None) -> SweepResult:
    """One tick. ``portable`` forces the ORM path (the SQLite one) on PostgreSQL too —
    the tests compare both paths' writes."""
    now = now or timezone.now()
    portable = not set_based() if portable is None else portable
    result = SweepResult()
    while True:
        try:
            with transaction.atomic():
                warn_rows, due_rows = _take(now, batch_size, portable, exclude=result.failed)
                if not (warn_rows or due_rows):
                    break
                _process(warn_rows, due_rows, portable, result)
        except Exception:
            logger.exception("deadline sweep: batch failed, retrying its rows one by one")
            if not _one_by_one(now, batch_size, portable, result):
                break
    return result


def _one_by_one(now: dt.datetime, limit: int, portable: bool, result: SweepResult) -> bool:
    """Retry a failed batch row by row. False when no row could be handled at all."""
    ids = list(Deadline.objects.filter(state=DeadlineState.OPEN, remind_at__lte=now)
               .exclude(pk__in=result.failed).order_by("remind_at")
               .values_list("pk", flat=True)[:limit])
    progressed = False
    for pk in ids:
        try:
            with transaction.atomic():
                warn_rows, due_rows = _take(now, 1, portable, pk=pk)
                if warn_rows or due_rows:
                    _process(warn_rows, due_rows, portable, result)
            progressed = True
        except Exception:
            logger.exception("deadline sweep: deadline %s failed; the others go on", pk)
            result.failed.append(pk)
    return progressed or bool(ids)


# --- 1. the claim -----------------------------------------------------------------------

def _take(now: dt.datetime, limit: int, portable: bool, exclude=(),
          pk: int | None = None) -> tuple[list[dict], list[dict]]:
    """Claim up to ``limit`` rows whose step has come: (warned rows, overdue rows), each a
    dict of FIELDS, only the rows this call changed."""
    if portable:
        return _take_portable(now, limit, exclude, pk)
    return _take_set_based(now, limit, exclude, pk)


def _take_set_based(now, limit, exclude, pk) -> tuple[list[dict], list[dict]]:
    table = connection.ops.quote_name(Deadline._meta.db_table)
    orgs = connection.ops.quote_name(Deadline._meta.get_field("responsible").related_model._meta.db_table)
    where, params = ["state = %s", "remind_at <= %s"], [DeadlineState.OPEN.value, now]
    if pk is not None:
        where.append("id = %s")
        params.append(pk)
    if exclude:
        where.append("NOT (id = ANY(%s))")
        params.append(list(exclude))
    # The CTE locks (SKIP LOCKED: a parallel sweep's rows are passed over); the UPDATE's
    # own conditions are the claim, re-checked on the locked rows. Overdue rows take the
    # due step (overdue, escalated once); the others the warning (reminder_stage 0 → 1,
    # next at due).
    sql = f"""
        WITH picked AS MATERIALIZED (
            SELECT id FROM {table} WHERE {' AND '.join(where)}
            ORDER BY remind_at LIMIT %s FOR UPDATE SKIP LOCKED)
        UPDATE {table} AS d SET
            state = CASE WHEN d.due <= %s THEN %s ELSE d.state END,
            escalation_level = CASE WHEN d.due <= %s THEN 1 ELSE d.escalation_level END,
            remind_at = CASE WHEN d.due <= %s THEN NULL ELSE d.due END,
            reminder_stage = CASE WHEN d.due <= %s THEN d.reminder_stage ELSE %s END
        FROM picked, {orgs} AS o
        WHERE d.id = picked.id AND o.id = d.responsible_id AND d.state = %s
          AND (d.due <= %s OR d.reminder_stage = %s)
        RETURNING d.id, d.due, d.reminder_stage, d.rule, d.responsible_id, o.name, d.person_id,
                  d.target_repr, d.due <= %s"""
    params += [limit, now, DeadlineState.OVERDUE.value, now, now, now, int(ReminderStage.WARNED),
               DeadlineState.OPEN.value, now, int(ReminderStage.NONE), now]
    warn_rows, due_rows = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *values, overdue in cursor.fetchall():
            row = dict(zip(FIELDS, values))
            if overdue:
                due_rows.append(row)
            else:
                row["reminder_stage"] = int(ReminderStage.NONE)  # the stage it was claimed from
                warn_rows.append(row)
    return warn_rows, due_rows


def _take_portable(now, limit, exclude, pk) -> tuple[list[dict], list[dict]]:
    qs = (Deadline.objects.select_for_update(skip_locked=True, of=("self",))
          .filter(state=DeadlineState.OPEN, remind_at__lte=now))
    if pk is not None:
        qs = qs.filter(pk=pk)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    rows = list(qs.order_by("remind_at").values(*FIELDS)[:limit])
    due_rows = [r for r in rows if r["due"] <= now]
    warn_rows = [r for r in rows if r["due"] > now and r["reminder_stage"] == ReminderStage.NONE]
    warned = set(_claim(
        [r["id"] for r in warn_rows], "reminder_stage = %s, remind_at = due",
        [int(ReminderStage.WARNED)], "state = %s AND reminder_stage = %s",
        [str(DeadlineState.OPEN), int(ReminderStage.NONE)]))
    overdue = set(_claim(
        [r["id"] for r in due_rows], "state = %s, escalation_level = 1, remind_at = NULL",
        [str(DeadlineState.OVERDUE)], "state = %s", [str(DeadlineState.OPEN)]))
    return ([r for r in warn_rows if r["id"] in warned],
            [r for r in due_rows if r["id"] in overdue])


def _claim(ids: list[int], set_sql: str, set_params: list, where_sql: str,
           where_params: list) -> list[int]:
    """Conditional UPDATE; returns the ids this call changed (the claim)."""
    if not ids:
        return []
    table = connection.ops.quote_name(Deadline._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {set_sql} WHERE id IN ({marks}) AND {where_sql} RETURNING id",
            [*set_params, *ids, *where_params])
        return [row[0] for row in cursor.fetchall()]


# --- 2. the writes ----------------------------------------------------------------------

def _process(warn_rows: list[dict], due_rows: list[dict], portable: bool,
             result: SweepResult) -> None:
    # The dashboard's tallies: recounted for these rows' keys once the batch commits (a
    # tally's key is the unit, the rule and the month of due: one row per unit, rule and due).
    tallies.touch(*{(r["responsible_id"], r["rule"], r["due"]): r
                    for r in [*warn_rows, *due_rows]}.values())
    texts = _notifications(warn_rows, due_rows)
    write = _write_portable if portable else _write_set_based
    reminders, notification_ids = write(warn_rows, due_rows, texts)
    if notification_ids:
        from .notifications import queue_emails

        queue_emails(notification_ids)
    result.warned += len(warn_rows)
    result.overdue += len(due_rows)
    result.reminders += reminders


def _supervisor_ids(due_rows: list[dict]) -> list[int]:
    return list(selectors.supervisors().values_list("pk", flat=True)) if due_rows else []


def _write_set_based(warn_rows, due_rows, texts: dict[int, Texts]) -> tuple[int, list[int]]:
    """Reminders, notifications and events of the batch in one statement; (reminders
    written, notification ids)."""
    q = connection.ops.quote_name
    # The batch's rows as one JSON parameter: the database reads it faster than ten arrays.
    batch = json.dumps([
        {"id": r["id"], "overdue": overdue, "org": r["responsible_id"], "person": r["person_id"],
         **texts[r["id"]]._asdict()}
        for rows, overdue in ((warn_rows, False), (due_rows, True)) for r in rows],
        ensure_ascii=False, separators=(",", ":"))
    moment = timezone.now()  # what auto_now_add would have written
    deadline_type = ContentType.objects.get_for_model(Deadline).pk
    sql = f"""
        WITH r AS MATERIALIZED (
            SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(
                id bigint, overdue boolean, org bigint, person bigint, url text, event_repr text,
                subject text, body text, supervisor_subject text, supervisor_body text)),
        reminders AS (
            INSERT INTO {q(Reminder._meta.db_table)} (deadline_id, kind, created_at)
            SELECT r.id, k.kind, %s FROM r CROSS JOIN LATERAL unnest(
                CASE WHEN r.overdue THEN ARRAY[%s, %s] ELSE ARRAY[%s] END) AS k(kind)
            RETURNING 1),
        unit_recipients AS (
            SELECT r.id, m.user_id FROM r
            JOIN {q(Membership._meta.db_table)} m ON m.organization_id = r.org
            JOIN {q(User._meta.db_table)} u ON u.id = m.user_id AND u.is_active
            UNION
            SELECT r.id, r.person FROM r WHERE r.person IS NOT NULL),
        notifications AS (
            INSERT INTO {q(Notification._meta.db_table)} (recipient_id, organization_id, subject,
                body, target_type_id, target_id, url, created_at)
            SELECT ur.user_id, r.org, r.subject, r.body, %s, r.id::text, r.url, %s
                FROM unit_recipients ur JOIN r ON r.id = ur.id
            UNION ALL
            SELECT s.id, NULL, r.supervisor_subject, r.supervisor_body, %s, r.id::text, r.url, %s
                FROM r CROSS JOIN unnest(%s::bigint[]) AS s(id) WHERE r.overdue
            RETURNING id),
        events AS (
            INSERT INTO {q(Event._meta.db_table)} (created_at, organization_id, verb,
                target_type_id, target_id, target_repr, changes, note, prev_hash, hash)
            SELECT %s, r.org,
                   CASE WHEN r.overdue THEN 'deadline.overdue' ELSE 'deadline.due_soon' END,
                   %s, r.id::text, r.event_repr,
                   CASE WHEN r.overdue THEN %s::jsonb ELSE %s::jsonb END,
                   CASE WHEN r.overdue THEN %s ELSE %s END, '', ''
                FROM r ORDER BY r.overdue, r.id
            RETURNING 1)
        SELECT (SELECT count(*) FROM reminders), (SELECT count(*) FROM events),
               ARRAY(SELECT id FROM notifications ORDER BY id)"""
    params = [
        batch, moment, ReminderKind.DUE.value, ReminderKind.OVERDUE.value, ReminderKind.DUE_SOON.value,
        deadline_type, moment, deadline_type, moment, _supervisor_ids(due_rows),
        moment, deadline_type, json.dumps(OVERDUE_CHANGES), json.dumps(DUE_SOON_CHANGES),
        OVERDUE_NOTE, DUE_SOON_NOTE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        reminders, _events, notification_ids = cursor.fetchone()
    return reminders, list(notification_ids)


def _write_portable(warn_rows, due_rows, texts: dict[int, Texts]) -> tuple[int, list[int]]:
    """The same writes through the ORM (SQLite: ``make run``)."""
    reminders = [Reminder(deadline_id=r["id"], kind=ReminderKind.DUE_SOON) for r in warn_rows]
    for r in due_rows:
        reminders += [Reminder(deadline_id=r["id"], kind=ReminderKind.DUE),
                      Reminder(deadline_id=r["id"], kind=ReminderKind.OVERDUE)]
    Reminder.objects.bulk_create(reminders)
    members: dict[int, list[int]] = {}
    for org_id, user_id in (Membership.objects.filter(
            organization_id__in={r["responsible_id"] for r in [*warn_rows, *due_rows]},
            user__is_active=True).values_list("organization_id", "user_id").distinct()):
        members.setdefault(org_id, []).append(user_id)
    supervisor_ids = _supervisor_ids(due_rows)
    deadline_type = ContentType.objects.get_for_model(Deadline)
    notifications: list[Notification] = []

    def add(r: dict, user_ids, org_id, subject: str, body: str) -> None:
        for user_id in dict.fromkeys(user_ids):
            notifications.append(Notification(
                recipient_id=user_id, organization_id=org_id, subject=subject, body=body,
                target_type=deadline_type, target_id=str(r["id"]), url=texts[r["id"]].url))

    for r in [*warn_rows, *due_rows]:
        x = texts[r["id"]]
        add(r, [*members.get(r["responsible_id"], []), *filter(None, [r["person_id"]])],
            r["responsible_id"], x.subject, x.body)
    for r in due_rows:
        x = texts[r["id"]]
        add(r, supervisor_ids, None, x.supervisor_subject, x.supervisor_body)
    Notification.objects.bulk_create(notifications)

    def event(r: dict, verb: str, changes: dict, note: str) -> Event:
        return Event(verb=verb, organization_id=r["responsible_id"], target_type=deadline_type,
                     target_id=str(r["id"]), target_repr=texts[r["id"]].event_repr,
                     changes=changes, note=note)

    Event.objects.bulk_create([
        *(event(r, "deadline.due_soon", DUE_SOON_CHANGES, DUE_SOON_NOTE) for r in warn_rows),
        *(event(r, "deadline.overdue", OVERDUE_CHANGES, OVERDUE_NOTE) for r in due_rows),
    ])
    return len(reminders), [n.pk for n in notifications]


def _notifications(warn_rows: list[dict], due_rows: list[dict]) -> dict[int, Texts]:
    """What each claimed deadline's notifications and audit event say, by deadline id."""
    # The deadline page's address with the id left open: one reverse() per batch.
    url = reverse("deadlines:detail", args=[987654321]).replace("987654321", "{}")
    label = functools.lru_cache(maxsize=None)(rules.rule_label)
    due_text = functools.lru_cache(maxsize=None)(formats.due_text)  # a batch shares few dues
    out: dict[int, Texts] = {}
    for r in warn_rows:
        rule, due, what = label(r["rule"]), due_text(r["due"]), r["target_repr"]
        out[r["id"]] = Texts(
            r["id"], url.format(r["id"]), f"{rule}：{what}"[:200], f"临期提醒：{rule}（{what}）"[:200],
            f"该事项的期限将于 {due} 届满，还剩一个工作日，请按时办结。")
    for r in due_rows:
        rule, due, what, unit = (label(r["rule"]), due_text(r["due"]), r["target_repr"],
                                 r["responsible__name"])
        out[r["id"]] = Texts(
            r["id"], url.format(r["id"]), f"{rule}：{what}"[:200], f"期限已届满：{rule}（{what}）"[:200],
            f"该事项的期限已于 {due} 届满，尚未办结，已报区司法局督办。请尽快办理并说明原因。",
            f"逾期督办：{unit}“{rule}”已逾期"[:200],
            f"{unit}办理的“{what}”期限已于 {due} 届满，尚未办结。")
    return out
