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
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record, audit_record_rows, snapshot
from core.bulk import copy_rows
from core.models import Organization

from . import calendar, notifications, recurring, rules, selectors, tallies
from .models import (CalendarDay, CalendarFeed, DayKind, Deadline, DeadlineState, ExtensionRequest,
                     ExtensionState, ReminderStage)


LIVE_STATES = (DeadlineState.OPEN, DeadlineState.OVERDUE)


def _target_of(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


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
    imposed_by: Organization | None = None,
) -> Deadline:
    """Start a time limit on ``target``. ``due`` is computed from the rule unless given
    (rules whose due is written in a notice or order). A due a supervisor imposed
    (``rules.IMPOSED``) records who imposed it: ``imposed_by``, by default the issuer
    the notice or order names (``target.issuer``)."""
    r = rules.rule(rule)
    if rules.is_imposed(r.code):
        imposed_by = imposed_by or getattr(target, "issuer", None)
        if imposed_by is None:
            raise ValueError(f"a {r.code} deadline needs the organisation that imposed it")
    if timezone.is_naive(start):
        raise ValueError("start must be an aware datetime")
    if not calendar.in_range(start) or (due is not None and not calendar.due_in_range(due)):
        raise ValidationError(f"期限的起算和届满时间须在{calendar.FIRST_YEAR}年至"
                              f"{calendar.LAST_YEAR}年之间，请核对日期。")
    computed = rules.compute_due(r, start, due)
    if computed.due < start:
        raise ValidationError({"due": "届满时间不能早于起算时间。"})
    content_type, target_id = _target_of(target)
    selectors.KINDS.note(content_type.pk)
    deadline = Deadline.objects.create(
        target_type=content_type, target_id=target_id, target_repr=str(target)[:200],
        rule=r.code, responsible=responsible, person=person, start=start,
        due=computed.due, warn_at=computed.warn_at, remind_at=computed.warn_at,
        provisional=computed.provisional, period=period, reason=note, imposed_by=imposed_by,
    )
    tallies.touch(deadline)
    audit_record(actor=actor, verb="deadline.open", target=deadline, organization=responsible,
                 changes={"due": [None, computed.due], "provisional": [None, computed.provisional]},
                 note=note)
    return deadline


def deadlines_open_many(*, targets: Iterable[tuple], rule: str, actor,
                        start: dt.datetime | None = None,
                        model: type[models.Model] | None = None) -> list[int]:
    """``deadline_open`` for many targets of one model under one rule counted by the
    calendar, the rows and their events written in bulk (``core.bulk``), the tallies
    recounted once per transaction however many calls it makes: a batch of approval
    decisions pushed together at one moment (M14.2, ``make bench ARGS=approvals``), or an
    imported ledger's open entries each from its own date (``make bench ARGS=complaints``).
    ``targets``: (target, responsible organisation), all started at ``start``; or, without
    ``start``, (target, responsible organisation, start). A target may stand for a row of
    ``model`` by its ``pk`` and its text (``str``), without the instance. The due is
    computed once per distinct start, by the same rule and calendar as ``deadline_open``
    (the calendar's rows read once for them all, ``calendar.schedules_kept``). Returns the
    new deadlines' keys, in the targets' order."""
    r = rules.rule(rule)
    if rules.is_imposed(r.code) or r.unit == rules.Unit.SET:
        raise ValueError(f"a {r.code} deadline is opened one by one (its due is written per target)")
    items = [(item[0], item[1], start) for item in targets] if start is not None else [
        (target, responsible, begun) for target, responsible, begun in targets]
    if not items:
        return []
    dues: dict[dt.datetime, rules.Due] = {}
    with calendar.schedules_kept():
        for _target, _responsible, begun in items:
            if begun in dues:
                continue
            if begun is None or timezone.is_naive(begun):
                raise ValueError("start must be an aware datetime")
            if not calendar.in_range(begun):
                raise ValidationError(f"期限的起算时间须在{calendar.FIRST_YEAR}年至{calendar.LAST_YEAR}年之间，请核对日期。")
            dues[begun] = rules.compute_due(r, begun)
    content_type = ContentType.objects.get_for_model(model or items[0][0])
    selectors.KINDS.note(content_type.pk)
    label = rules.rule_label(r.code)
    rows = [(content_type.pk, str(target.pk), str(target)[:200], r.code, responsible.pk, begun,
             dues[begun].due, dues[begun].warn_at, dues[begun].warn_at, dues[begun].provisional)
            for target, responsible, begun in items]
    ids = copy_rows(Deadline, ("target_type_id", "target_id", "target_repr", "rule",
                               "responsible_id", "start", "due", "warn_at", "remind_at",
                               "provisional"), rows)
    tallies.touch(*({"responsible_id": pk, "rule": r.code, "due": due}
                    for pk, due in {(row[4], row[6]) for row in rows}))
    audit_record_rows(actor=actor, verb="deadline.open", model=Deadline, rows=(
        (pk, f"{label}：{row[2]}", row[4], {"due": [None, row[6]], "provisional": [None, row[9]]}, "")
        for pk, row in zip(ids, rows)))
    return ids


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
                  at: dt.datetime | None = None, period: str = "") -> Deadline | None:
    """The thing the time limit asks for was done: meet the open or overdue deadline of
    ``rule`` on ``target`` (late when after due). None when there is no such deadline.
    ``period``: only that period's row of a recurring duty (an inspection meets its own
    quarter's duty, a report this month's — never an earlier period's still open)."""
    content_type, target_id = _target_of(target)
    at = at or timezone.now()
    with transaction.atomic():
        rows = Deadline.objects.select_for_update().filter(
            target_type=content_type, target_id=target_id, rule=rule, state__in=LIVE_STATES)
        if period:
            rows = rows.filter(period=period)
        deadline = rows.order_by("due").first()
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
    if deadline.state not in LIVE_STATES:
        raise ValidationError("该期限已完成、取消或豁免，不能再豁免。")
    selectors.may_waive.require(actor, deadline)
    return _close(deadline, actor=actor, reason=reason, state=DeadlineState.WAIVED,
                  verb="deadline.waive")


def _check_new_due(deadline: Deadline, new_due: dt.datetime) -> None:
    if new_due <= deadline.due:
        raise ValidationError({"new_due": "新的届满时间必须晚于原届满时间。"})
    if not calendar.due_in_range(new_due):
        raise ValidationError({"new_due": f"新的届满时间须在{calendar.FIRST_YEAR}年至"
                                          f"{calendar.LAST_YEAR}年之间，请核对日期。"})


def _move_due(deadline: Deadline, *, actor, new_due: dt.datetime, reason: str) -> Deadline:
    """Move an open deadline's due later (reminders already sent stay sent)."""
    before = snapshot(deadline, ["due", "warn_at"])
    warn_at = max(rules.warning_time(new_due), deadline.start)
    remind_at = warn_at if deadline.reminder_stage == ReminderStage.NONE else new_due
    if not _claim(deadline, sources=[DeadlineState.OPEN], due=new_due, warn_at=warn_at,
                  remind_at=remind_at, reason=reason):
        raise ValidationError(NOT_OPEN)
    audit_record(actor=actor, verb="deadline.extend", target=deadline,
                 organization=deadline.responsible,
                 changes={"due": [before["due"], new_due]},
                 note=reason)
    return deadline


NOT_OPEN = "只能延长进行中的期限；已逾期的期限请办结或申请豁免。"


def deadline_extend(*, deadline: Deadline, actor, new_due: dt.datetime, reason: str) -> Deadline:
    """Move an open deadline later, decided by the responsible unit's head or the justice
    bureau (``selectors.may_extend``). A due a supervisor imposed is not extended here
    but through a request to that supervisor (``deadline_extension_request``)."""
    if deadline.imposed_by_id:
        raise ValidationError(f"该期限由{deadline.imposed_by.name}设定，须向其申请延长。")
    if deadline.state != DeadlineState.OPEN:
        raise ValidationError(NOT_OPEN)
    selectors.may_extend.require(actor, deadline)
    if not reason.strip():
        raise ValidationError({"reason": "请填写延长原因。"})
    _check_new_due(deadline, new_due)
    with transaction.atomic():
        return _move_due(deadline, actor=actor, new_due=new_due, reason=reason)


def _both_sides(deadline: Deadline) -> list[Organization]:
    return [deadline.responsible, deadline.imposed_by]


def deadline_extension_request(*, deadline: Deadline, actor, new_due: dt.datetime,
                               reason: str) -> ExtensionRequest:
    """Issue 15 item 10: the responsible unit asks the organisation that imposed the due
    to extend it, with a reason; the imposing organisation is told."""
    if deadline.state != DeadlineState.OPEN:
        raise ValidationError("只能为进行中的期限申请延长；已逾期的期限请尽快办结。")
    selectors.may_request_extension.require(actor, deadline)
    if not reason.strip():
        raise ValidationError({"reason": "请填写申请延长的理由。"})
    _check_new_due(deadline, new_due)
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    deadline=deadline, new_due=new_due, reason=reason.strip(), created_by=actor)
        except IntegrityError:
            raise ValidationError("该期限已有待决定的延长申请。") from None
        audit_record(actor=actor, verb="deadline.extension_request", target=deadline,
                     organization=deadline.responsible,
                     changes={"due": [deadline.due, new_due]}, note=reason.strip())
        notifications.notification_send(
            recipients=[deadline.imposed_by],
            subject=f"申请延长期限：{deadline.responsible.name}“{deadline.rule_label}”",
            body=(f"{deadline.responsible.name}申请将“{deadline.target_repr}”的期限由"
                  f"{formats.due_text(deadline.due)}延长至{formats.due_text(new_due)}。"
                  f"理由：{reason.strip()}"),
            target=deadline, url=deadline.get_absolute_url(), actor=actor)
    return request


def deadline_extension_decide(*, request: ExtensionRequest, actor, approve: bool,
                              answer: str = "") -> ExtensionRequest:
    """The imposing organisation approves (the due moves to the date asked) or refuses
    (with its reasons) a request to extend; both sides are told."""
    deadline = request.deadline
    if request.state != ExtensionState.PENDING:
        raise ValidationError("该申请已经作出决定。")
    selectors.may_decide_extension.require(actor, request)
    answer = answer.strip()
    if not approve and not answer:
        raise ValidationError({"answer": "不予延长须说明理由。"})
    now = timezone.now()
    with transaction.atomic():
        claimed = ExtensionRequest.objects.filter(pk=request.pk, state=ExtensionState.PENDING).update(
            state=ExtensionState.APPROVED if approve else ExtensionState.REFUSED,
            decided_by=actor, decided_at=now, answer=answer)
        if not claimed:
            raise ValidationError("该申请已经作出决定。")
        request.refresh_from_db()
        if approve:
            _move_due(deadline, actor=actor, new_due=request.new_due,
                      reason=answer or request.reason)
            outcome = f"同意延长至{formats.due_text(request.new_due)}"
        else:
            audit_record(actor=actor, verb="deadline.extension_refuse", target=deadline,
                         organization=deadline.imposed_by, note=answer)
            outcome = f"不予延长，期限仍为{formats.due_text(deadline.due)}"
        notifications.notification_send(
            recipients=_both_sides(deadline),
            subject=f"延长期限申请已决定：{deadline.responsible.name}“{deadline.rule_label}”",
            body=f"{deadline.imposed_by.name}对“{deadline.target_repr}”的延长申请：{outcome}。"
                 + (f"答复：{answer}" if answer else ""),
            target=deadline, url=deadline.get_absolute_url(), actor=actor)
    return request


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
        notifications.notification_send(
            recipients=[deadline.responsible, deadline.person],
            subject=f"期限已按放假安排重新计算：{deadline}",
            body=(f"国务院放假安排已导入，“{deadline.rule_label}”的期限重新计算为"
                  f"{formats.due_text(computed.due)}（原为暂定期限）。"),
            target=deadline.target, url=notifications.target_url(deadline.target), actor=actor)
        changed += 1
    return changed


# --- recurring duties ---------------------------------------------------------------------

def deadlines_open_recurring(*, today: dt.date | None = None, actor=None) -> list[Deadline]:
    """Open this period's row of every recurring duty in force (``recurring.in_force``)
    for every unit that owes it, and cancel the live rows of duties not in force, so
    they count nowhere as overdue (issue 15 item 12). Idempotent: a (unit, rule, period)
    that exists is left alone (unique constraint)."""
    today = today or timezone.localdate()
    org_type = ContentType.objects.get_for_model(Organization)
    for deadline in (Deadline.objects.select_related("responsible")
                     .filter(rule__in=recurring.not_in_force(), state__in=LIVE_STATES)
                     .exclude(period="")):
        deadline_cancel(deadline=deadline, actor=actor, reason=recurring.NOT_IN_FORCE)
    opened = []
    for code, orgs in recurring.in_force().items():
        r = rules.rule(code)
        period, first, _last = rules.period_bounds(r.unit, today)
        start = calendar.start_of_day(first)
        for org in Organization.objects.filter(orgs, is_active=True):
            exists = Deadline.objects.filter(target_type=org_type, target_id=str(org.pk),
                                             rule=code, period=period).exists()
            if exists:
                continue
            try:
                with transaction.atomic():
                    opened.append(deadline_open(target=org, rule=code, responsible=org,
                                                start=start, actor=actor, period=period))
            except IntegrityError:
                continue  # another beat run opened it a moment ago
    return opened
