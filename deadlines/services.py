"""Every write of the deadlines app: open, meet, cancel, waive, extend a deadline; send a
notification; import the holiday schedule; open the recurring duties.

Opening and meeting a deadline carry no capability check of their own: they are called by
the mechanism's service, which has already checked the actor may do the thing that starts
or ends the time limit. Waiving and extending are decisions in themselves and are checked.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import policy
from core.audit import audit_record, register_verbs, snapshot
from core.models import Membership, Organization, OrgKind

from . import calendar, rules, selectors, tallies
from .models import (CalendarDay, CalendarFeed, DayKind, Deadline, DeadlineState, Notification,
                     ReminderStage)


register_verbs({
    "deadline.open": "开始计算期限",
    "deadline.meet": "期限内事项完成",
    "deadline.cancel": "取消期限",
    "deadline.waive": "豁免期限",
    "deadline.extend": "延长期限",
    "deadline.overdue": "期限逾期",
    "deadline.due_soon": "临期提醒",
    "deadline.acknowledge": "签收逾期督办",
    "deadline.recompute": "按放假安排重算期限",
    "calendar.import": "导入放假安排",
    "calendar.save": "修改工作日历",
    "calendar.delete": "删除工作日历条目",
    "notification.read": "阅读消息",
    "calendar_feed.reset": "重置日历订阅地址",
    "notification.send": "发送消息",
})

LIVE_STATES = (DeadlineState.OPEN, DeadlineState.OVERDUE)


def _target_of(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


def _target_url(target: models.Model | None) -> str:
    """Where a notification about ``target`` links to: its own page when it has one."""
    if target is not None and hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return reverse("deadlines:list")


def deadline_open(
    *,
    target: models.Model,
    rule: str,
    responsible: Organization,
    start: dt.datetime,
    actor,
    person=None,
    due: dt.datetime | None = None,
    note: str = "",
    period: str = "",
) -> Deadline:
    """Start a time limit on ``target``. ``due`` is computed from the rule unless given
    (rules whose due is written in a notice or order)."""
    r = rules.rule(rule)
    if timezone.is_naive(start):
        raise ValueError("start must be an aware datetime")
    if not calendar.in_range(start) or (due is not None and not calendar.due_in_range(due)):
        raise ValidationError(f"期限的起算和届满时间须在{calendar.FIRST_YEAR}年至"
                              f"{calendar.LAST_YEAR}年之间，请核对日期。")
    computed = rules.compute_due(r, start, due)
    if computed.due < start:
        raise ValidationError({"due": "届满时间不能早于起算时间。"})
    content_type, target_id = _target_of(target)
    deadline = Deadline.objects.create(
        target_type=content_type, target_id=target_id, target_repr=str(target)[:200],
        rule=r.code, responsible=responsible, person=person, start=start,
        due=computed.due, warn_at=computed.warn_at, remind_at=computed.warn_at,
        provisional=computed.provisional, period=period, reason=note,
    )
    tallies.touch(deadline)
    audit_record(actor=actor, verb="deadline.open", target=deadline, organization=responsible,
                 changes={"due": [None, computed.due], "provisional": [None, computed.provisional]},
                 note=note)
    return deadline


def _claim(deadline: Deadline, *, sources: Iterable[str], **updates) -> bool:
    """Move ``deadline`` out of ``sources`` with a conditional UPDATE: True when this call
    made the change (row count 1), False when someone else got there first."""
    claimed = Deadline.objects.filter(pk=deadline.pk, state__in=list(sources)).update(**updates)
    if claimed:
        before = {"responsible_id": deadline.responsible_id, "rule": deadline.rule,
                  "due": deadline.due}
        for field, value in updates.items():
            setattr(deadline, field, value)
        tallies.touch(before, deadline)
    return claimed == 1


def deadline_meet(*, target: models.Model, rule: str, actor,
                  at: dt.datetime | None = None) -> Deadline | None:
    """The thing the time limit asks for was done: meet the open or overdue deadline of
    ``rule`` on ``target`` (late when after due). None when there is no such deadline."""
    content_type, target_id = _target_of(target)
    at = at or timezone.now()
    with transaction.atomic():
        deadline = (Deadline.objects.select_for_update()
                    .filter(target_type=content_type, target_id=target_id, rule=rule,
                            state__in=LIVE_STATES).order_by("due").first())
        if deadline is None:
            return None
        before = deadline.state
        if not _claim(deadline, sources=LIVE_STATES, state=DeadlineState.MET, met_at=at,
                      remind_at=None):
            return None
        audit_record(actor=actor, verb="deadline.meet", target=deadline,
                     organization=deadline.responsible,
                     changes={"state": [before, DeadlineState.MET], "met_at": [None, at]},
                     note="逾期完成" if deadline.is_late else "")
    return deadline


def _close(deadline: Deadline, *, actor, reason: str, state: str, verb: str) -> Deadline:
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因。"})
    before = deadline.state
    with transaction.atomic():
        if not _claim(deadline, sources=LIVE_STATES, state=state, reason=reason, remind_at=None):
            raise ValidationError("该期限已完成、取消或豁免，不能再操作。")
        audit_record(actor=actor, verb=verb, target=deadline, organization=deadline.responsible,
                     changes={"state": [before, state]}, note=reason)
    return deadline


def deadline_cancel(*, deadline: Deadline, actor, reason: str) -> Deadline:
    """The obligation no longer exists (the mechanism's service decides that)."""
    return _close(deadline, actor=actor, reason=reason, state=DeadlineState.CANCELLED,
                  verb="deadline.cancel")


def deadline_waive(*, deadline: Deadline, actor, reason: str) -> Deadline:
    """The justice bureau excuses a time limit."""
    policy.require(actor, "deadline.waive")
    return _close(deadline, actor=actor, reason=reason, state=DeadlineState.WAIVED,
                  verb="deadline.waive")


def deadline_extend(*, deadline: Deadline, actor, new_due: dt.datetime, reason: str,
                    approver) -> Deadline:
    """Move an open deadline later, approved by the responsible unit's head or the
    justice bureau. Reminders already sent stay sent."""
    if not selectors.may_approve_extension(approver, deadline):
        raise PermissionDenied(
            f"{approver}没有批准延长“{deadline.responsible.name}”期限的权限。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写延长原因。"})
    if new_due <= deadline.due:
        raise ValidationError({"new_due": "新的届满时间必须晚于原届满时间。"})
    if not calendar.due_in_range(new_due):
        raise ValidationError({"new_due": f"新的届满时间须在{calendar.FIRST_YEAR}年至"
                                          f"{calendar.LAST_YEAR}年之间，请核对日期。"})
    before = snapshot(deadline, ["due", "warn_at"])
    warn_at = max(rules.warning_time(new_due), deadline.start)
    with transaction.atomic():
        remind_at = warn_at if deadline.reminder_stage == ReminderStage.NONE else new_due
        if not _claim(deadline, sources=[DeadlineState.OPEN], due=new_due, warn_at=warn_at,
                      remind_at=remind_at, reason=reason):
            raise ValidationError("只能延长进行中的期限；已逾期的期限请办结或申请豁免。")
        audit_record(actor=actor, verb="deadline.extend", target=deadline,
                     organization=deadline.responsible,
                     changes={"due": [before["due"], new_due], "approver": [None, str(approver)]},
                     note=reason)
    return deadline


# --- notifications ------------------------------------------------------------------------

def _recipients(recipients: Iterable) -> list[tuple[object, Organization | None]]:
    """(user, organisation) pairs, each user once; an organisation means its members."""
    seen: dict[int, tuple[object, Organization | None]] = {}
    orgs = [r for r in recipients if isinstance(r, Organization)]
    for r in recipients:
        if not isinstance(r, Organization) and r is not None:
            seen.setdefault(r.pk, (r, None))
    if orgs:
        for m in (Membership.objects.filter(organization__in=orgs, user__is_active=True)
                  .select_related("user", "organization").order_by("user_id")):
            seen.setdefault(m.user_id, (m.user, m.organization))
    return list(seen.values())


def notification_send(*, recipients: Iterable, subject: str, body: str = "", target=None,
                      url: str = "", actor=None) -> list[Notification]:
    """Write one notification per recipient in the caller's transaction; e-mail them
    after it commits (a rolled-back cause never mails anyone)."""
    content_type, target_id = _target_of(target) if target is not None else (None, "")
    url = url or _target_url(target)
    notifications = Notification.objects.bulk_create([
        Notification(recipient=user, organization=org, subject=subject[:200], body=body,
                     target_type=content_type, target_id=target_id, url=url)
        for user, org in _recipients(list(recipients))
    ])
    if notifications:
        audit_record(actor=actor, verb="notification.send", target=target,
                     note=f"{subject}（{len(notifications)} 人）")
        _queue_emails([n.pk for n in notifications])
    return notifications


def _queue_emails(notification_ids: list[int]) -> None:
    """E-mail after commit; if the broker is down, the outbox task sends them later."""
    from core.after_commit import enqueue

    from .tasks import notifications_email

    enqueue(notifications_email, notification_ids)


def notification_read(*, notification: Notification, actor) -> Notification:
    """Mark the actor's own notification read (once: a second call changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("只能标记自己的消息。")
    now = timezone.now()
    with transaction.atomic():
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
            audit_record(actor=actor, verb="notification.read", target=notification)
            _acknowledge_escalations(Notification.objects.filter(pk=notification.pk), actor, now)
    return notification


def _acknowledge_escalations(notifications, actor, now) -> None:
    """A member of the justice bureau reading notifications about deadlines acknowledges
    their escalation (督办已签收: ``escalation_acknowledged_at``, the first reading counts);
    the dashboard's 督办无人签收 (deadlines.tallies.LIVE) is recounted for those keys."""
    if not policy.viewer(actor).sees_all:  # sees_all: a member of the justice bureau
        return
    ids = [int(i) for i in notifications.filter(
        target_type=ContentType.objects.get_for_model(Deadline)).values_list("target_id", flat=True)
        if i.isdigit()]
    # Locked: of two readers at once, the second finds the row acknowledged and skips it.
    acknowledged = list(Deadline.objects.select_for_update(of=("self",)).select_related("responsible")
                        .filter(pk__in=ids, escalation_acknowledged_at__isnull=True))
    if acknowledged:
        Deadline.objects.filter(pk__in=[d.pk for d in acknowledged]).update(
            escalation_acknowledged_at=now)
        for deadline in acknowledged:
            audit_record(actor=actor, verb="deadline.acknowledge", target=deadline,
                         organization=deadline.responsible)
        tallies.touch(*acknowledged)


def notifications_read_all(*, actor) -> int:
    with transaction.atomic():
        unread = list(Notification.objects.filter(recipient=actor, read_at__isnull=True)
                      .values_list("pk", flat=True))
        now = timezone.now()
        count = Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=now)
        _acknowledge_escalations(Notification.objects.filter(pk__in=unread), actor, now)
        if count:
            audit_record(actor=actor, verb="notification.read", note=f"全部标为已读（{count} 条）")
    return count


def calendar_feed_reset(*, actor) -> CalendarFeed:
    """A new iCalendar subscription address for the actor; every earlier one stops working."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
        feed.version += 1
        feed.reset_at = timezone.now()
        feed.save(update_fields=["version", "reset_at"])
        audit_record(actor=actor, verb="calendar_feed.reset", target=feed)
    return feed


# --- the calendar -------------------------------------------------------------------------

def calendar_day_save(*, actor, day: CalendarDay) -> CalendarDay:
    """An administrator's edit of one calendar day (the admin calls this)."""
    if actor is not None:
        policy.require(actor, "calendar.manage")
    day.full_clean()
    with transaction.atomic():
        created = day.pk is None
        day.save()
        audit_record(actor=actor, verb="calendar.save", target=day,
                     changes={"date": [None, day.date], "kind": [None, day.kind],
                              "name": [None, day.name]},
                     note="新增" if created else "修改")
    return day


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    policy.require(actor, "calendar.manage")
    with transaction.atomic():
        audit_record(actor=actor, verb="calendar.delete", target=day, note=str(day))
        day.delete()


def calendar_import(*, rows: Iterable[tuple[dt.date, str, str]], actor,
                    source: str = "") -> dict:
    """Load the State Council's schedule: ``rows`` are (date, kind, name) for whole years.

    Each year in the file replaces what was kept for it; every open deadline computed
    provisionally is then recomputed, and the people concerned are told when its due moved
    or stopped being provisional.
    """
    if actor is not None:
        policy.require(actor, "calendar.manage")
    rows = list(rows)
    if not rows:
        raise ValidationError("文件中没有日期。")
    errors = []
    seen = set()
    for i, (day, kind, name) in enumerate(rows, start=1):
        if kind not in DayKind.values:
            errors.append(f"第 {i} 行：类别“{kind}”无效，应为 holiday（法定节假日）或 workday（调休上班）。")
        elif kind == DayKind.WORKDAY and day.weekday() < 5:
            errors.append(f"第 {i} 行：{day} 是周一至周五，不需要登记为调休上班。")
        if day in seen:
            errors.append(f"第 {i} 行：{day} 重复。")
        if not name.strip():
            errors.append(f"第 {i} 行：请填写节日名称。")
        seen.add(day)
    if errors:
        raise ValidationError(errors)
    years = sorted({day.year for day, _k, _n in rows})
    with transaction.atomic():
        CalendarDay.objects.filter(date__year__in=years).delete()
        CalendarDay.objects.bulk_create([
            CalendarDay(date=day, kind=kind, name=name.strip()) for day, kind, name in rows
        ])
        audit_record(actor=actor, verb="calendar.import",
                     note=f"导入 {'、'.join(map(str, years))} 年放假安排（{len(rows)} 天）{source}")
        recomputed = _recompute_provisional(actor=actor)
    return {"years": years, "days": len(rows), "recomputed": recomputed}


def _recompute_provisional(*, actor) -> int:
    changed = 0
    for deadline in (Deadline.objects.select_for_update(of=("self",))
                     .filter(state=DeadlineState.OPEN, provisional=True)
                     .select_related("responsible", "person")):
        r = rules.rule(deadline.rule)
        if r.unit not in (rules.Unit.WORKING_DAYS, rules.Unit.DAYS):
            continue
        computed = rules.compute_due(r, deadline.start)
        if computed.due == deadline.due and computed.provisional:
            continue
        before = snapshot(deadline, ["due", "provisional"])
        remind_at = (computed.warn_at if deadline.reminder_stage == ReminderStage.NONE
                     else computed.due)
        Deadline.objects.filter(pk=deadline.pk).update(
            due=computed.due, warn_at=computed.warn_at, remind_at=remind_at,
            provisional=computed.provisional)
        tallies.touch(deadline)  # an open row: its live key; due's month does not count it
        audit_record(actor=actor, verb="deadline.recompute", target=deadline,
                     organization=deadline.responsible,
                     changes={"due": [before["due"], computed.due],
                              "provisional": [True, computed.provisional]})
        notification_send(
            recipients=[deadline.responsible, deadline.person],
            subject=f"期限已按放假安排重新计算：{deadline}",
            body=(f"国务院放假安排已导入，“{deadline.rule_label}”的期限重新计算为"
                  f" {calendar.due_text(computed.due)}前（原为暂定期限）。"),
            target=deadline.target, url=_target_url(deadline.target), actor=actor)
        changed += 1
    return changed


# --- recurring duties ---------------------------------------------------------------------

# rule → which organisations owe it (SPEC, Deadlines table).
RECURRING: dict[str, Q] = {
    "web_inspection": Q(kind=OrgKind.JUSTICE_BUREAU),  # M5.3
    "annual_joint_meeting": Q(kind=OrgKind.COORDINATION_OFFICE),  # M1.2
    "approval_linkage_meeting": Q(kind=OrgKind.APPROVAL_BUREAU),  # M14.1
    "info_reports": Q(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]),  # W3
    "officer_evaluation": Q(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]),  # M9.7
    "self_assessment": Q(kind=OrgKind.DEPARTMENT),  # M9.6
    "guiding_case_submission": Q(kind=OrgKind.DEPARTMENT),  # M11.2
}


def deadlines_open_recurring(*, today: dt.date | None = None, actor=None) -> list[Deadline]:
    """Open this period's row of every recurring duty for every unit that owes it.
    Idempotent: a (unit, rule, period) that exists is left alone (unique constraint)."""
    today = today or timezone.localdate()
    opened = []
    for code, orgs in RECURRING.items():
        r = rules.rule(code)
        period, first, _last = rules.period_bounds(r.unit, today)
        start = calendar.start_of_day(first)
        for org in Organization.objects.filter(orgs, is_active=True):
            exists = Deadline.objects.filter(
                target_type=ContentType.objects.get_for_model(Organization),
                target_id=str(org.pk), rule=code, period=period).exists()
            if exists:
                continue
            try:
                with transaction.atomic():
                    opened.append(deadline_open(target=org, rule=code, responsible=org,
                                                start=start, actor=actor, period=period))
            except IntegrityError:
                continue  # another beat run opened it a moment ago
    return opened
