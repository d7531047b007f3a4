"""Reads of the deadlines app, and the visibility of deadlines and notifications."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core import policy
from core.models import OrgKind, Role

from . import calendar
from .models import Deadline, DeadlineState, Notification

# Models whose visibility says nothing about who may see a deadline on them: every user
# sees the directory of organisations, yet a unit's recurring duties are its own business.
_NOT_FOLLOWED = {"core"}


@policy.register_scope(Deadline)
def _deadlines(viewer: policy.Viewer) -> Q:
    """The responsible unit sees its deadlines; so does whoever sees the object a
    deadline runs on (the receiver of a transfer sees the transfer's time limit)."""
    condition = Q(responsible_id__in=viewer.org_ids)
    for model in policy.scoped_models():
        if model._meta.app_label in _NOT_FOLLOWED or model in (Deadline, Notification):
            continue
        condition |= Q(target_type=ContentType.objects.get_for_model(model),
                       target_id__in=policy.visible_pks(viewer, model, as_text=True))
    return condition


@policy.register_scope(Notification)
def _notifications(viewer: policy.Viewer) -> Q:
    return Q(recipient_id=viewer.user_id)


def deadlines_for(user, target: models.Model) -> models.QuerySet[Deadline]:
    """The deadlines on ``target`` the user may see, for a detail page's timeline."""
    return policy.visible_to(user, Deadline).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("responsible", "person")


def deadline_list(user, filters: dict | None = None) -> models.QuerySet[Deadline]:
    """Deadlines visible to ``user``; ``filters`` from DeadlineFilterForm.cleaned_data:
    bucket (open, soon, overdue), rule, state, organization (the responsible unit),
    due_from/due_to (local dates, both ends included), q, escalation=unacknowledged
    (``unacknowledged_escalations``) and provisional (open and provisional)."""
    f = filters or {}
    qs = policy.visible_to(user, Deadline).select_related("responsible", "person")
    now = timezone.now()
    bucket = f.get("bucket")
    if bucket == "soon":
        qs = qs.filter(state=DeadlineState.OPEN, warn_at__lte=now)
    elif bucket == "overdue":
        qs = qs.filter(state=DeadlineState.OVERDUE)
    elif bucket == "open":
        qs = qs.filter(state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
    if f.get("rule"):
        qs = qs.filter(rule=f["rule"])
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    if f.get("organization"):
        qs = qs.filter(responsible=f["organization"])
    if f.get("due_from"):
        qs = qs.filter(due__gt=calendar.start_of_day(f["due_from"]))
    if f.get("due_to"):
        qs = qs.filter(due__lte=calendar.end_of_day(f["due_to"]))
    if f.get("q"):
        qs = qs.filter(target_repr__icontains=f["q"])
    if f.get("escalation") == "unacknowledged":
        qs = unacknowledged_escalations(qs)
    if f.get("provisional"):
        qs = qs.filter(state=DeadlineState.OPEN, provisional=True)
    return qs.order_by("due", "id")


def unacknowledged_q() -> Q:
    """督办无人签收: overdue, escalated to the justice bureau (``escalation_level`` > 0), and
    nobody there has acknowledged the escalation. Acknowledging = a member of the justice
    bureau reading a notification about the deadline in the inbox (the sweep's 逾期督办
    notice; ``services.notification_read`` sets ``escalation_acknowledged_at``); the
    responsible unit reading its own 到期 notice does not count. The dashboard's tally
    (deadlines.tallies.LIVE) and the deadline list's ``escalation=unacknowledged`` both
    use this condition."""
    return Q(state=DeadlineState.OVERDUE, escalation_level__gt=0,
             escalation_acknowledged_at__isnull=True)


def unacknowledged_escalations(deadlines: models.QuerySet[Deadline]) -> models.QuerySet[Deadline]:
    """Those of ``deadlines`` whose escalation nobody has acknowledged (``unacknowledged_q``)."""
    return deadlines.filter(unacknowledged_q())


def deadline_counts(user) -> dict[str, int]:
    qs = policy.visible_to(user, Deadline)
    now = timezone.now()
    return qs.aggregate(
        open=models.Count("pk", filter=Q(state=DeadlineState.OPEN)),
        soon=models.Count("pk", filter=Q(state=DeadlineState.OPEN, warn_at__lte=now)),
        overdue=models.Count("pk", filter=Q(state=DeadlineState.OVERDUE)),
    )


def open_deadlines_of(user) -> models.QuerySet[Deadline]:
    """The open deadlines of the user's own units and those assigned to them (the
    calendar feed: what they must do, not all they may see)."""
    v = policy.viewer(user)
    return (Deadline.objects.filter(state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
            .filter(Q(responsible_id__in=v.org_ids) | Q(person_id=user.pk))
            .select_related("responsible").order_by("due"))


def notifications_of(user) -> models.QuerySet[Notification]:
    """A user's own notifications. Not through ``visible_to``: the justice bureau sees
    every record, but a message is only ever its recipient's."""
    return Notification.objects.filter(recipient_id=user.pk).select_related("organization")


def notification_of(user, pk) -> Notification:
    """One of the user's notifications; 404 for another's, as for a missing one."""
    try:
        return notifications_of(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("消息不存在或您无权查看。") from None


def unread_count(user) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def on_time_rate(qs: models.QuerySet[Deadline]) -> float | None:
    """Met on time / (met + overdue); None when there is nothing to rate."""
    counts = qs.aggregate(
        on_time=models.Count("pk", filter=Q(state=DeadlineState.MET, met_at__lte=models.F("due"))),
        met=models.Count("pk", filter=Q(state=DeadlineState.MET)),
        overdue=models.Count("pk", filter=Q(state=DeadlineState.OVERDUE)),
    )
    total = counts["met"] + counts["overdue"]
    return counts["on_time"] / total if total else None


def supervisors() -> models.QuerySet:
    """The justice bureau's supervisors, to whom overdue deadlines escalate."""
    return get_user_model().objects.filter(
        is_active=True, memberships__role=Role.SUPERVISOR,
        memberships__organization__kind=OrgKind.JUSTICE_BUREAU,
        memberships__organization__is_active=True).distinct()


def missing_calendar_year(user, today: dt.date | None = None) -> int | None:
    """From 1 November, the coming year when its schedule is not loaded — shown to
    administrators and the justice bureau, who can import it."""
    if not (policy.sees_all(user) or policy.has_capability(user, "admin.manage")
            or getattr(user, "is_superuser", False)):
        return None
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    year = today.year + 1
    return None if calendar.year_loaded(year) else year


def can_waive(user, deadline: Deadline) -> bool:
    """Whether ``deadline_waive`` would accept ``user`` now: the capability (the justice
    bureau's supervisors) and a deadline still open or overdue."""
    return (deadline.state in (DeadlineState.OPEN, DeadlineState.OVERDUE)
            and policy.has_capability(user, "deadline.waive"))


def may_approve_extension(user, deadline: Deadline) -> bool:
    """Who may approve extending ``deadline`` (``services.deadline_extend`` checks this):
    the head of the responsible unit, or the justice bureau."""
    return (policy.has_capability(user, "deadline.extend", deadline.responsible)
            or (policy.sees_all(user) and policy.has_capability(user, "deadline.extend")))


def can_extend(user, deadline: Deadline) -> bool:
    """Whether ``deadline_extend`` would accept ``user`` as approver now: an approver and
    a deadline still open (an overdue one is met or waived, never extended)."""
    return deadline.state == DeadlineState.OPEN and may_approve_extension(user, deadline)
