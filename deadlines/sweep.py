"""The sweep: the only code that reminds about deadlines and turns them overdue.

Run by beat every minute (settings.CELERY_BEAT_SCHEDULE). Each tick takes the open rows
whose next step has come (the partial index ``deadline_sweep_open``) in batches of at most
``BATCH_SIZE``, and for each batch, in one transaction:

1. locks the rows with ``SELECT … FOR UPDATE SKIP LOCKED`` — a second sweep running at the
   same moment takes other rows instead of waiting for these;
2. claims each step with a conditional ``UPDATE … WHERE state = 'open' AND
   reminder_stage = <old> RETURNING id`` (healthchecks' ``sendalerts``): only the rows that
   come back are this sweep's to remind, so a row is never reminded twice;
3. writes the reminder rows (unique per deadline and kind, the last line of defence), the
   notifications and the audit events, and queues the e-mails and the recount of the
   dashboard's tallies (deadlines.tallies) for after the commit.

A worker killed in the middle rolls the whole batch back: nothing was claimed, nothing is
lost, and the next tick does it again. If a batch fails, its rows are retried one by one,
each in its own transaction, so one bad row is logged and the others go on.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core import formats
from core.models import Event, Membership

from . import rules, selectors, tallies
from .models import Deadline, DeadlineState, Notification, Reminder, ReminderKind, ReminderStage

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
FIELDS = ("id", "due", "reminder_stage", "rule", "responsible_id", "responsible__name",
          "person_id", "target_repr")


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    reminders: int = 0
    failed: list[int] = field(default_factory=list)


def sweep(now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    while True:
        try:
            with transaction.atomic():
                rows = _lock(now, batch_size, exclude=result.failed)
                if not rows:
                    break
                _process(rows, now, result)
        except Exception:
            logger.exception("deadline sweep: batch failed, retrying its rows one by one")
            if not _one_by_one(now, batch_size, result):
                break
    return result


def _lock(now: dt.datetime, limit: int, exclude=(), pk: int | None = None) -> list[dict]:
    qs = (Deadline.objects.select_for_update(skip_locked=True, of=("self",))
          .filter(state=DeadlineState.OPEN, remind_at__lte=now))
    if pk is not None:
        qs = qs.filter(pk=pk)
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return list(qs.order_by("remind_at").values(*FIELDS)[:limit])


def _one_by_one(now: dt.datetime, limit: int, result: SweepResult) -> bool:
    """Retry a failed batch row by row. False when no row could be handled at all."""
    ids = list(Deadline.objects.filter(state=DeadlineState.OPEN, remind_at__lte=now)
               .exclude(pk__in=result.failed).order_by("remind_at")
               .values_list("pk", flat=True)[:limit])
    progressed = False
    for pk in ids:
        try:
            with transaction.atomic():
                rows = _lock(now, 1, pk=pk)
                if rows:
                    _process(rows, now, result)
            progressed = True
        except Exception:
            logger.exception("deadline sweep: deadline %s failed; the others go on", pk)
            result.failed.append(pk)
    return progressed or bool(ids)


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


def _process(rows: list[dict], now: dt.datetime, result: SweepResult) -> None:
    due_rows = [r for r in rows if r["due"] <= now]
    warn_rows = [r for r in rows if r["due"] > now and r["reminder_stage"] == ReminderStage.NONE]
    warned = set(_claim(
        [r["id"] for r in warn_rows], "reminder_stage = %s, remind_at = due",
        [int(ReminderStage.WARNED)], "state = %s AND reminder_stage = %s",
        [str(DeadlineState.OPEN), int(ReminderStage.NONE)]))
    overdue = set(_claim(
        [r["id"] for r in due_rows], "state = %s, escalation_level = 1, remind_at = NULL",
        [str(DeadlineState.OVERDUE)], "state = %s", [str(DeadlineState.OPEN)]))
    warn_rows = [r for r in warn_rows if r["id"] in warned]
    due_rows = [r for r in due_rows if r["id"] in overdue]
    # The dashboard's tallies: recounted for these rows' keys once the batch commits.
    tallies.touch(*warn_rows, *due_rows)
    reminders = [Reminder(deadline_id=r["id"], kind=ReminderKind.DUE_SOON) for r in warn_rows]
    for r in due_rows:
        reminders += [Reminder(deadline_id=r["id"], kind=ReminderKind.DUE),
                      Reminder(deadline_id=r["id"], kind=ReminderKind.OVERDUE)]
    Reminder.objects.bulk_create(reminders)
    notifications = _notifications(warn_rows, due_rows)
    Notification.objects.bulk_create(notifications)
    deadline_type = ContentType.objects.get_for_model(Deadline)
    def event(r: dict, verb: str, changes: dict, note: str) -> Event:
        return Event(verb=verb, organization_id=r["responsible_id"], target_type=deadline_type,
                     target_id=str(r["id"]),
                     target_repr=f"{rules.rule_label(r['rule'])}：{r['target_repr']}"[:200],
                     changes=changes, note=note)

    Event.objects.bulk_create([
        *(event(r, "deadline.due_soon",
                {"reminder_stage": [int(ReminderStage.NONE), int(ReminderStage.WARNED)]},
                "还剩一个工作日，已提醒责任单位") for r in warn_rows),
        *(event(r, "deadline.overdue", {"state": [DeadlineState.OPEN, DeadlineState.OVERDUE]},
                "届满未完成，已督办至区司法局") for r in due_rows),
    ])
    if notifications:
        from .notifications import queue_emails

        queue_emails([n.pk for n in notifications])
    result.warned += len(warn_rows)
    result.overdue += len(due_rows)
    result.reminders += len(reminders)


def _notifications(warn_rows: list[dict], due_rows: list[dict]) -> list[Notification]:
    responsible_ids = {r["responsible_id"] for r in [*warn_rows, *due_rows]}
    members: dict[int, list[int]] = {}
    for org_id, user_id in (Membership.objects.filter(organization_id__in=responsible_ids,
                                                      user__is_active=True)
                            .values_list("organization_id", "user_id").distinct()):
        members.setdefault(org_id, []).append(user_id)
    supervisor_ids = list(selectors.supervisors().values_list("pk", flat=True)) if due_rows else []
    deadline_type = ContentType.objects.get_for_model(Deadline)
    out: list[Notification] = []

    def add(r: dict, user_ids, org_id, subject: str, body: str) -> None:
        url = reverse("deadlines:detail", args=[r["id"]])
        for user_id in dict.fromkeys(user_ids):
            out.append(Notification(
                recipient_id=user_id, organization_id=org_id, subject=subject[:200], body=body,
                target_type=deadline_type, target_id=str(r["id"]), url=url))

    for r in warn_rows:
        label, due = rules.rule_label(r["rule"]), formats.due_text(r["due"])
        add(r, [*members.get(r["responsible_id"], []), *filter(None, [r["person_id"]])],
            r["responsible_id"], f"临期提醒：{label}（{r['target_repr']}）",
            f"该事项的期限将于 {due} 届满，还剩一个工作日，请按时办结。")
    for r in due_rows:
        label, due = rules.rule_label(r["rule"]), formats.due_text(r["due"])
        add(r, [*members.get(r["responsible_id"], []), *filter(None, [r["person_id"]])],
            r["responsible_id"], f"期限已届满：{label}（{r['target_repr']}）",
            f"该事项的期限已于 {due} 届满，尚未办结，已报区司法局督办。请尽快办理并说明原因。")
        add(r, supervisor_ids, None,
            f"逾期督办：{r['responsible__name']}“{label}”已逾期",
            f"{r['responsible__name']}办理的“{r['target_repr']}”期限已于 {due} 届满，尚未办结。")
    return out
