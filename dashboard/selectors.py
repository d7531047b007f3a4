"""Reads behind the dashboard page: whose figures (the scope) and the "需关注" lists.

Every read goes through ``core.policy``: the justice bureau sees the whole district, every
other user the same page narrowed to their own organisation(s).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core import policy
from core.models import Organization, OrgKind, User
from deadlines import calendar
from deadlines.models import Deadline, DeadlineState, Notification

from .deadline_figures import deadline_url, scoped_deadlines
from .registry import Figure, Period, Scope

ATTENTION_LIMIT = 20
# Organisations that carry no duties of their own on the dashboard.
NOT_SHOWN_KINDS = (OrgKind.EXPERT_POOL,)


def dashboard_organizations(user: User) -> QuerySet[Organization]:
    """The organisations the viewer may pick: all active ones for the justice bureau, else
    the viewer's own."""
    v = policy.viewer(user)
    qs = Organization.objects.filter(is_active=True).exclude(kind__in=NOT_SHOWN_KINDS)
    if not v.sees_all:
        qs = qs.filter(pk__in=sorted(v.org_ids))
    return qs.order_by("kind", "name")


def dashboard_scope(user: User, *, period: Period, organization: Organization | None = None,
                    now: dt.datetime | None = None) -> Scope:
    v = policy.viewer(user)
    orgs = dashboard_organizations(user)
    if organization is not None:
        orgs = orgs.filter(pk=organization.pk)
    organizations = tuple(orgs)
    if v.sees_all and organization is None:
        org_ids = None  # the whole district
    else:
        org_ids = frozenset(o.pk for o in organizations)
    return Scope(user=user, viewer=v, period=period, now=now or timezone.now(),
                 organizations=organizations, org_ids=org_ids)


@dataclass(frozen=True)
class AttentionList:
    title: str
    explanation: str
    total: Figure
    items: list[Deadline]
    overdue: bool = True  # the items are past due: show by how much


def _deadline_target_q():
    """Notifications whose target is the outer deadline row."""
    return {"target_type": ContentType.objects.get_for_model(Deadline),
            "target_id": Cast(OuterRef("pk"), CharField())}


def unacknowledged_escalations(scope: Scope) -> QuerySet[Deadline]:
    """Overdue deadlines escalated to the justice bureau (``escalation_level`` > 0) whose
    escalation nobody there has acknowledged. Acknowledging = a justice-bureau recipient
    reading the sweep's 逾期督办 notification on the deadline (``Notification.read_at`` set
    when it is opened from the inbox); the responsible unit reading its own 到期 notice
    does not count."""
    read = Notification.objects.filter(
        read_at__isnull=False,
        recipient__memberships__organization__kind=OrgKind.JUSTICE_BUREAU,
        **_deadline_target_q())
    return (scoped_deadlines(scope)
            .filter(state=DeadlineState.OVERDUE, escalation_level__gt=0)
            .filter(~Exists(read)))


def attention(scope: Scope) -> list[AttentionList]:
    """需关注: overdue deadlines by lateness, escalations nobody acknowledged, and provisional
    deadlines while next year's calendar is missing. Each list is capped; its total links
    to the whole list."""
    base = scoped_deadlines(scope).select_related("responsible")
    overdue = base.filter(state=DeadlineState.OVERDUE)
    escalations = unacknowledged_escalations(scope).select_related("responsible")
    provisional = base.filter(state=DeadlineState.OPEN, provisional=True)
    lists = [
        AttentionList("逾期未办", "按逾期时间长短排列，最久的在前。",
                      Figure(overdue.count(), deadline_url(state=DeadlineState.OVERDUE)),
                      list(overdue.order_by("due", "id")[:ATTENTION_LIMIT])),
        AttentionList("督办无人签收", "已逾期并升级督办，但督办消息尚无人阅读。",
                      # The deadline list has no "escalated" filter: the overdue list.
                      Figure(escalations.count(), deadline_url(state=DeadlineState.OVERDUE)),
                      list(escalations.order_by("due", "id")[:ATTENTION_LIMIT])),
    ]
    next_year = timezone.localdate().year + 1
    if next_year not in calendar.loaded_years():
        lists.append(AttentionList(
            "暂定期限", f"{next_year}年节假日安排尚未导入，跨入该年的期限按周末和固定节日暂定，"
                       "导入后自动重算。",
            # The deadline list has no "provisional" filter: the open list.
            Figure(provisional.count(), deadline_url(state=DeadlineState.OPEN)),
            list(provisional.order_by("due", "id")[:ATTENTION_LIMIT]), overdue=False))
    return lists
