"""Reads of accountability proceedings and their visibility: the agency's legal unit and
head see its proceedings, each officer concerned sees his own, and the justice bureau —
the supervising organ of M8.1 — sees every agency's (core.policy)."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from core import policy
from core.models import Role
from deadlines.models import Deadline, DeadlineState

from .models import CLOSED_STATES, Proceeding, ProceedingStatus
from .workflow import DETERMINATION_RULE

PURSUING_ROLES = {Role.LEGAL_OFFICER, Role.DEPARTMENT_HEAD}


@policy.register_scope(Proceeding)
def _proceedings(viewer: policy.Viewer) -> Q:
    agencies = sorted({org for org, role in viewer.roles if role in PURSUING_ROLES})
    return Q(agency_id__in=agencies) | Q(pk__in=Proceeding.officers.through.objects.filter(
        user_id=viewer.user_id).values("proceeding_id"))


def _deadline_rows() -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Proceeding),
        target_id=Cast(OuterRef("pk"), CharField()), rule=DETERMINATION_RULE)


def late_q() -> Q:
    """Not determined in time: the time to determine is overdue, or was met after due."""
    rows = _deadline_rows()
    return Q(Exists(rows.filter(state=DeadlineState.OVERDUE))) | Q(
        Exists(rows.filter(state=DeadlineState.MET, met_at__gt=models.F("due"))))


# The list's 办理情况 filter and the dashboard's figures: one condition each.
STATE_LABELS = {"open": "办理中", "overdue": "认定逾期", "concluded": "已办结",
                "exempted": "依法履职免责", "reserved": "不适用本机制"}


def state_q(state: str) -> Q:
    return {
        "open": ~Q(status__in=CLOSED_STATES),
        "overdue": late_q(),
        "concluded": Q(status__in=[ProceedingStatus.CONCLUDED, ProceedingStatus.NOT_LIABLE]),
        "exempted": Q(status=ProceedingStatus.EXEMPTED),
        "reserved": Q(status=ProceedingStatus.RESERVED),
    }[state]


def with_deadline(qs: models.QuerySet[Proceeding]) -> models.QuerySet[Proceeding]:
    rows = _deadline_rows().order_by("-id")
    return qs.annotate(due=models.Subquery(rows.values("due")[:1]),
                       deadline_state=models.Subquery(rows.values("state")[:1]),
                       met_at=models.Subquery(rows.values("met_at")[:1]))


def proceeding_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Proceeding]:
    """Visible proceedings, filtered by agency, status, ground, route, source kind, state
    (``STATE_LABELS``), opening dates and q (subject, facts, officer)."""
    filters = filters or {}
    qs = policy.visible_to(user, Proceeding).select_related("agency").prefetch_related("officers")
    for name in ("agency", "status", "ground", "route", "source_kind"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("state"):
        qs = qs.filter(state_q(filters["state"]))
    if filters.get("since"):
        qs = qs.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(created_at__date__lte=filters["until"])
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(subject__icontains=text) | Q(facts__icontains=text) | Q(
            pk__in=Proceeding.officers.through.objects.filter(
                Q(user__real_name__icontains=text) | Q(user__username__icontains=text)
            ).values("proceeding_id")))
    return with_deadline(qs).order_by("-created_at", "-id")


def proceeding_get(user, pk) -> Proceeding:
    return policy.access(user, with_deadline(Proceeding.objects.select_related(
        "agency", "created_by", "outcome_document")), pk)


def proceedings_from(source: models.Model, user=None) -> models.QuerySet[Proceeding]:
    """The proceedings opened from ``source``; with ``user``, only those the user may see."""
    qs = Proceeding.objects.all() if user is None else policy.visible_to(user, Proceeding)
    return qs.filter(source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk))


def proceedings_on_page(user, obj: models.Model) -> list[Proceeding]:
    """What a record's page lists under 据此启动的责任追究 (``includes/source_proceedings.html``,
    a detail part of every ``core.pages.DetailPage``): the proceedings ``user`` may see that
    were opened from ``obj`` or from a source shown on its page (``SourceKind.shown_on``).
    No query for a record that is no source (the registry answers)."""
    from . import sources

    model = type(obj)
    conditions = Q()
    for kind in sources.kinds():
        if kind.model is model:
            conditions |= Q(source_type=ContentType.objects.get_for_model(model), source_id=str(obj.pk))
        elif kind.shown_on is not None and kind.shown_on[0] is model:
            ids = kind.model._default_manager.filter(**{kind.shown_on[1]: obj.pk}).values(
                key=Cast("pk", CharField()))
            conditions |= Q(source_type=ContentType.objects.get_for_model(kind.model), source_id__in=ids)
    if not conditions:
        return []
    return list(policy.visible_to(user, Proceeding).filter(conditions).select_related("agency")
                .order_by("-created_at", "-id"))
