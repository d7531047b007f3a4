"""Reads of joint case handling and their visibility: an operation (with its participants,
consultations and cases) is seen by its lead and its participants; a guidance task by the
unit that gave it and the unit that carries it out; the justice bureau sees all."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from core import policy
from core.models import Organization, OrgKind
from deadlines.models import Deadline, DeadlineState

from .models import (Consultation, GuidanceTask, JointOperation, LinkedCase, OperationStatus,
                     Participant, TaskStatus)
from .workflow import REPORT_RULE


def _operations_of(viewer: policy.Viewer) -> Q:
    return Q(lead_id__in=viewer.org_ids) | Q(
        pk__in=Participant.objects.filter(unit_id__in=viewer.org_ids).values("operation_id"))


@policy.register_scope(JointOperation)
def _operations(viewer: policy.Viewer) -> Q:
    return _operations_of(viewer)


@policy.register_scope(Participant)
@policy.register_scope(Consultation)
@policy.register_scope(LinkedCase)
def _parts(viewer: policy.Viewer) -> Q:
    return Q(operation__in=JointOperation.objects.filter(_operations_of(viewer)).values("pk"))


@policy.register_scope(GuidanceTask)
def _tasks(viewer: policy.Viewer) -> Q:
    return Q(giver_id__in=viewer.org_ids) | Q(receiver_id__in=viewer.org_ids)


# --- joint operations ------------------------------------------------------------------
def operation_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[JointOperation]:
    """Visible operations filtered by status, field, unit (lead or participant), since/until
    (planned start) and q (title or scope)."""
    f = filters or {}
    qs = policy.visible_to(user, JointOperation).select_related("lead")
    for name in ("status", "field"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("unit"):
        unit = f["unit"]
        qs = qs.filter(Q(lead=unit) | Q(pk__in=Participant.objects.filter(unit=unit).values("operation_id")))
    if f.get("since"):
        qs = qs.filter(starts_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(starts_on__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(scope__icontains=f["q"]))
    return qs.prefetch_related("participants__unit").order_by("-starts_on", "-id")


def operation_get(user, pk) -> JointOperation:
    return policy.access(user, JointOperation.objects.select_related(
        "lead", "work_plan_file", "emergency_plan_file", "created_by"), pk)


def participants_of(op: JointOperation) -> models.QuerySet[Participant]:
    return op.participants.select_related("unit", "confirmed_by")


def consultations_of(op: JointOperation) -> models.QuerySet[Consultation]:
    return op.consultations.select_related("created_by").prefetch_related("units")


def cases_of(user, op: JointOperation) -> list[tuple[LinkedCase, bool]]:
    """The linked cases, each with whether ``user`` may open it (its own scope)."""
    from cases.models import EnforcementCase

    links = list(op.cases.select_related("case", "case__department", "linked_by"))
    visible = set(policy.visible_to(user, EnforcementCase).filter(
        pk__in=[link.case_id for link in links]).values_list("pk", flat=True))
    return [(link, link.case_id in visible) for link in links]


def linkable_cases(user, op: JointOperation):
    """Cases the user may link: those of the operation's units the user acts for, not yet
    linked."""
    from cases.models import EnforcementCase

    units = {p.unit_id for p in op.participants.all()} | {op.lead_id}
    mine = [u for u in units if policy.has_capability(user, "joint.take_part", u)
            or policy.has_capability(user, "joint.lead", u)]
    return (EnforcementCase.objects.filter(department_id__in=mine)
            .exclude(pk__in=op.cases.values("case_id")).select_related("department")
            .order_by("-filed_on", "-id"))


def participant_units() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                       is_active=True).order_by("kind", "name")


# --- guidance tasks --------------------------------------------------------------------
def receivers_for(giver: Organization) -> models.QuerySet[Organization]:
    """The units ``giver`` guides (M6.2 上下联动): townships for a district department, its
    own internal units, and the district units it is the next-higher authority of."""
    lower = Q(parent=giver) | Q(higher_authority=giver)
    if giver.kind == OrgKind.DEPARTMENT:
        lower |= Q(kind=OrgKind.TOWNSHIP)
    return Organization.objects.filter(lower, is_active=True).exclude(pk=giver.pk).order_by("kind", "name")


def _report_deadlines() -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(target_type=ContentType.objects.get_for_model(GuidanceTask),
                                   target_id=Cast(OuterRef("pk"), CharField()), rule=REPORT_RULE)


TASK_STATE_LABELS = {
    "open": "待反馈",
    "overdue": "逾期未反馈",
    "late": "逾期反馈",
    "reported": "待认可",
    "accepted": "已认可",
}


def task_state_q(state: str) -> Q:
    waiting = Q(status__in=[TaskStatus.ASSIGNED, TaskStatus.RETURNED])
    return {
        "open": waiting,
        "overdue": waiting & Q(Exists(_report_deadlines().filter(state=DeadlineState.OVERDUE))),
        "late": Q(Exists(_report_deadlines().filter(state=DeadlineState.MET, met_at__gt=models.F("due")))),
        "reported": Q(status=TaskStatus.REPORTED),
        "accepted": Q(status=TaskStatus.ACCEPTED),
    }[state]


def task_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[GuidanceTask]:
    f = filters or {}
    qs = policy.visible_to(user, GuidanceTask).select_related("giver", "receiver")
    for name in ("kind", "giver", "receiver"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("state"):
        qs = qs.filter(task_state_q(f["state"]))
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(content__icontains=f["q"]))
    return qs.order_by("due_on", "-id")


def task_get(user, pk) -> GuidanceTask:
    return policy.access(user, GuidanceTask.objects.select_related(
        "giver", "receiver", "reported_by", "created_by"), pk)


