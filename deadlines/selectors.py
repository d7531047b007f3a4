"""Reads of the deadlines app, and the visibility of deadlines and notifications."""
from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from core import formats, policy
from core.models import OrgKind, Role

from . import calendar, rules
from .models import Deadline, DeadlineState, ExtensionRequest, ExtensionState, Notification

# Models whose visibility says nothing about who may see a deadline on them: every user
# sees the directory of organisations, yet a unit's recurring duties are its own business.
_NOT_FOLLOWED = {"core"}


# The kinds of record deadlines run on (content type ids): some twenty of the sixty scoped
# models. Following only those keeps the deadline scope's statement a third of the size (an
# officer's 我的时限 took over a second to compile and run at 50,000 deadlines). Read from the
# table at most once a minute per process, and added to at once when this process opens a
# deadline on a new kind (``note_target_type``); a kind first used by another process is
# followed here within the minute (the responsible unit sees the deadline at once).
# ``settings.DEADLINE_SCOPE_KINDS_SECONDS`` is that minute; 0 follows every scoped model (the
# test suite: its query-count assertions must not meet the once-a-minute read).
_TARGET_TYPES: dict[str, object] = {"ids": None, "read": 0.0}


def target_types() -> frozenset[int] | None:
    """The content type ids deadlines run on, or None: follow every kind."""
    seconds = settings.DEADLINE_SCOPE_KINDS_SECONDS
    if not seconds:
        return None
    now = time.monotonic()
    if _TARGET_TYPES["ids"] is None or now - _TARGET_TYPES["read"] > seconds:
        if connection.vendor == "postgresql":
            # DISTINCT by skipping through the (target_type, target_id) index: one probe a kind.
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH RECURSIVE t(id) AS ("
                    " (SELECT target_type_id FROM deadlines_deadline ORDER BY target_type_id LIMIT 1)"
                    " UNION ALL SELECT (SELECT target_type_id FROM deadlines_deadline"
                    "  WHERE target_type_id > t.id ORDER BY target_type_id LIMIT 1) FROM t"
                    "  WHERE t.id IS NOT NULL) SELECT id FROM t WHERE id IS NOT NULL")
                ids = frozenset(row[0] for row in cursor.fetchall())
        else:
            ids = frozenset(Deadline.objects.order_by().values_list("target_type_id", flat=True).distinct())
        _TARGET_TYPES.update(ids=ids | frozenset(_TARGET_TYPES.get("noted", ())), read=now)
    return _TARGET_TYPES["ids"]


def note_target_type(content_type_id: int) -> None:
    """A deadline is being opened on this kind of record (services call it before the insert)."""
    noted = _TARGET_TYPES.setdefault("noted", set())
    noted.add(content_type_id)
    if _TARGET_TYPES["ids"] is not None and content_type_id not in _TARGET_TYPES["ids"]:
        _TARGET_TYPES["ids"] = _TARGET_TYPES["ids"] | {content_type_id}


@policy.register_scope(Deadline)
def _deadlines(viewer: policy.Viewer) -> Q:
    """The responsible unit sees its deadlines, and the organisation that imposed one;
    so does whoever sees the object a deadline runs on (the receiver of a transfer sees the transfer's time limit)."""
    condition = Q(responsible_id__in=viewer.org_ids) | Q(imposed_by_id__in=viewer.org_ids)
    used = target_types()
    for model in policy.scoped_models():
        if model._meta.app_label in _NOT_FOLLOWED or model in (Deadline, Notification,
                                                                 ExtensionRequest):
            continue
        if used is not None and ContentType.objects.get_for_model(model).pk not in used:
            continue  # no deadline runs on this kind of record: nothing to follow
        condition |= Q(target_type=ContentType.objects.get_for_model(model),
                       target_id__in=policy.visible_pks(viewer, model, as_text=True))
    return condition


@policy.register_scope(ExtensionRequest)
def _extension_requests(viewer: policy.Viewer) -> Q:
    """A request to extend is seen by whoever sees its deadline (the imposing
    organisation included: it sees the record the deadline runs on)."""
    return Q(deadline_id__in=policy.visible_pks(viewer, Deadline))


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
    notice; ``notifications.notification_read`` sets ``escalation_acknowledged_at``); the
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


# --- who may waive or extend (the page's buttons and the services' checks) --------------

LIVE = (DeadlineState.OPEN, DeadlineState.OVERDUE)


@policy.predicate("豁免该期限（仅区司法局可豁免未完成的期限）")
def may_waive(user, deadline: Deadline) -> bool:
    return deadline.state in LIVE and policy.has_capability(user, "deadline.waive")


def _approves_for(user, deadline: Deadline) -> bool:
    """The head of the responsible unit, or the justice bureau."""
    return (policy.has_capability(user, "deadline.extend", deadline.responsible)
            or (policy.sees_all(user) and policy.has_capability(user, "deadline.extend")))


@policy.predicate("延长该期限（由本单位负责人或区司法局延长进行中的期限；上级设定的期限须向设定单位申请）")
def may_extend(user, deadline: Deadline) -> bool:
    """A time limit set by law: its unit's head or the justice bureau moves it later
    while it runs (an overdue one is met or waived, never extended)."""
    return (deadline.state == DeadlineState.OPEN and not deadline.imposed_by_id
            and _approves_for(user, deadline))


@policy.predicate("申请延长该期限（由责任单位负责人向设定期限的单位申请）")
def may_request_extension(user, deadline: Deadline) -> bool:
    """Issue 15 item 10: a due a supervisor imposed — the responsible unit's head asks
    the imposing organisation, once at a time."""
    return (deadline.state == DeadlineState.OPEN and bool(deadline.imposed_by_id)
            and policy.has_capability(user, "deadline.extend", deadline.responsible)
            and not deadline.extension_requests.filter(state=ExtensionState.PENDING).exists())


@policy.predicate("决定该延长申请（仅设定期限的单位可以决定）")
def may_decide_extension(user, request: ExtensionRequest) -> bool:
    deadline = request.deadline
    return (request.state == ExtensionState.PENDING and bool(deadline.imposed_by_id)
            and policy.has_capability(user, rules.IMPOSED[deadline.rule], deadline.imposed_by))


def pending_extension(deadline: Deadline) -> ExtensionRequest | None:
    return (deadline.extension_requests.filter(state=ExtensionState.PENDING)
            .select_related("created_by", "deadline", "deadline__imposed_by").first())


def next_step(user, deadline: Deadline, pending) -> str:
    """Who acts next on a running time limit, as the page says it."""
    if deadline.state not in LIVE:
        return ""
    if pending is not None:
        return f"待{deadline.imposed_by.name}决定延长申请"
    unit = "本单位" if deadline.responsible_id in policy.viewer(user).org_ids else deadline.responsible.name
    return f"待{unit}在{formats.due_text(deadline.due)}前办结"
