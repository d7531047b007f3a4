"""Reads of the approval–supervision linkage and their visibility: a decision is seen by
the approval bureau that made it and by the department it was pushed to; the routing table
by the approval bureau; the justice bureau sees all (core.policy). ``non_cooperation``
lists what M14.4 holds accountable."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse

from core import policy
from core.models import Organization, OrgKind
from deadlines.models import Deadline, DeadlineState

from .models import Decision, DecisionStatus, Route, SupervisionRecord
from .workflow import CLAIM_RULE, FEEDBACK_RULE


def bureau_of(user) -> Organization | None:
    """The approval bureau ``user`` keeps decisions and the routing table for."""
    return policy.organizations_with(user, "approval.manage").filter(
        kind=OrgKind.APPROVAL_BUREAU).order_by("pk").first()


@policy.register_scope(Decision)
def _decisions(viewer: policy.Viewer) -> Q:
    return Q(bureau_id__in=viewer.org_ids) | Q(department_id__in=viewer.org_ids)


@policy.register_scope(Route)
def _routes(viewer: policy.Viewer) -> Q:
    # The table is the approval bureau's; every department may read where items go.
    return Q(pk__isnull=False) if viewer.org_ids else Q(pk__in=[])


@policy.register_scope(SupervisionRecord)
def _records(viewer: policy.Viewer) -> Q:
    return Q(decision__in=Decision.objects.filter(_decisions(viewer)).values("pk"))


def _deadlines(rule: str) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(target_type=ContentType.objects.get_for_model(Decision),
                                   target_id=Cast(OuterRef("pk"), CharField()), rule=rule)


# The states a list filters by and the dashboard counts: the same conditions.
STATE_LABELS = {
    "unrouted": "未匹配监管部门",
    "pushed": "待认领",
    "claim_overdue": "认领逾期",
    "claimed": "监管中",
    "feedback_overdue": "监管反馈逾期",
    "fed_back": "已反馈监管情况",
}


def state_q(state: str) -> Q:
    overdue = {"state": DeadlineState.OVERDUE}
    return {
        "unrouted": Q(status=DecisionStatus.UNROUTED),
        "pushed": Q(status=DecisionStatus.PUSHED),
        "claim_overdue": Q(status=DecisionStatus.PUSHED) & Q(Exists(_deadlines(CLAIM_RULE).filter(**overdue))),
        "claimed": Q(status=DecisionStatus.CLAIMED),
        "feedback_overdue": Q(status=DecisionStatus.CLAIMED) & Q(Exists(_deadlines(FEEDBACK_RULE).filter(**overdue))),
        "fed_back": Q(status=DecisionStatus.FED_BACK),
    }[state]


def decision_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Decision]:
    """Visible decisions filtered by state (``STATE_LABELS``), department, item type,
    since/until (decision date) and q (number, applicant, item name, credit code)."""
    f = filters or {}
    qs = policy.visible_to(user, Decision).select_related("department")
    if f.get("state"):
        qs = qs.filter(state_q(f["state"]))
    if f.get("department"):
        qs = qs.filter(department=f["department"])
    if f.get("item_type"):
        qs = qs.filter(item_type=f["item_type"])
    if f.get("since"):
        qs = qs.filter(decided_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(decided_on__lte=f["until"])
    if f.get("q"):
        text = f["q"]
        qs = qs.filter(Q(number__icontains=text) | Q(applicant__icontains=text)
                       | Q(item_name__icontains=text) | Q(credit_code__icontains=text))
    return qs.order_by("-decided_on", "-id")


def decision_get(user, pk) -> Decision:
    return policy.access(user, Decision.objects.select_related(
        "department", "bureau", "claimed_by", "created_by"), pk)


def records_of(decision: Decision) -> models.QuerySet[SupervisionRecord]:
    return decision.records.select_related("case", "recorded_by")


def route_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Route]:
    f = filters or {}
    qs = policy.visible_to(user, Route).select_related("department", "updated_by")
    if f.get("department"):
        qs = qs.filter(department=f["department"])
    if f.get("q"):
        qs = qs.filter(Q(item_type__icontains=f["q"]) | Q(note__icontains=f["q"]))
    return qs.order_by("item_type")


def route_get(user, pk) -> Route:
    return policy.access(user, Route.objects.select_related("department"), pk)


def unrouted_types(user) -> list[tuple[str, int]]:
    """Item types of visible decisions waiting for a route, with how many of each."""
    return list(decision_list(user, {"state": "unrouted"}).order_by().values_list("item_type")
                .annotate(n=models.Count("pk")).order_by("-n", "item_type"))


def item_types() -> list[str]:
    return list(Route.objects.order_by("item_type").values_list("item_type", flat=True))


def department_cases(decision: Decision):
    """The cases the supervising department may name as the penalty of a decision."""
    from cases.models import EnforcementCase

    return EnforcementCase.objects.filter(department_id=decision.department_id).order_by("-filed_on", "-id")


# --- M14.4: non-cooperation ------------------------------------------------------------
KIND_LABELS = {
    "claim_overdue": "逾期未认领审批推送事项",
    "feedback_overdue": "未按时反馈监管情况",
    "resolution_not_done": "未执行联席会议议定事项",
}


@dataclass(frozen=True)
class NonCooperation:
    """One case of M14.4 不执行会商决定、拒绝业务配合、不及时通报: which department, on what,
    what is missing, and since when it was due."""

    kind: str
    department: Organization
    subject: str  # the decision's number or the agreed matter's title
    url: str
    missing: str
    due: dt.datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def uncooperative_decisions(user=None) -> models.QuerySet[Decision]:
    """M14.4 不及时通报: decisions pushed and not claimed in time, or claimed and their
    supervision not fed back in time (``user`` None: every one)."""
    decisions = Decision.objects.all() if user is None else policy.visible_to(user, Decision)
    return decisions.filter(state_q("claim_overdue") | state_q("feedback_overdue"))


def unexecuted_assignments(user=None):
    """M14.4 不执行会商决定: a department's part of a matter the approval–supervision joint
    meeting agreed, not reported by its due date (meetings' ledger)."""
    from meetings.models import Assignment, BodyKind
    from meetings.selectors import overdue_assignment_q

    parts = Assignment.objects.filter(overdue_assignment_q(), resolution__meeting__body__kind=BodyKind.APPROVAL,
                                      resolution__status="open")
    if user is not None and not policy.sees_all(user):
        v = policy.viewer(user)
        parts = parts.filter(Q(department_id__in=v.org_ids)
                             | Q(resolution__meeting__body__convener_id__in=v.org_ids))
    return parts


def non_cooperation(user=None, filters: Mapping[str, Any] | None = None) -> list[NonCooperation]:
    """M14.4: claims overdue, supervision feedback overdue, and the approval–supervision
    joint meeting's agreed matters a department has not carried out by their due date
    (meetings' ledger). ``user`` None: every row; otherwise the rows of what the user
    sees. Filters: kind, department. Each row is pursued as an accountability source
    (approvals/hooks.py) on the decision or the department's part of the matter."""
    f = filters or {}
    rows: list[NonCooperation] = []
    decisions = Decision.objects.all() if user is None else policy.visible_to(user, Decision)
    due = Deadline.objects.filter(target_type=ContentType.objects.get_for_model(Decision),
                                  target_id=Cast(OuterRef("pk"), CharField()),
                                  state=DeadlineState.OVERDUE)
    wanted = [k for k in ("claim_overdue", "feedback_overdue") if f.get("kind") in (None, "", k)]
    for kind in wanted:
        rule = CLAIM_RULE if kind == "claim_overdue" else FEEDBACK_RULE
        qs = decisions.filter(state_q(kind)).annotate(
            due=models.Subquery(due.filter(rule=rule).order_by("due").values("due")[:1]))
        if f.get("department"):
            qs = qs.filter(department=f["department"])
        for d in qs.select_related("department").order_by("due", "pk"):
            rows.append(NonCooperation(kind, d.department, d.number, d.get_absolute_url(),
                                       missing_text(d), d.due))
    if f.get("kind") in (None, "", "resolution_not_done"):
        parts = unexecuted_assignments(user)
        if f.get("department"):
            parts = parts.filter(department=f["department"])
        for a in parts.select_related("department", "resolution").order_by("resolution__due_on", "pk"):
            rows.append(NonCooperation("resolution_not_done", a.department, a.resolution.title,
                                       a.get_absolute_url(), f"议定事项逾期未反馈落实情况（{a.get_status_display()}）",
                                       a.resolution.due))
    return rows


def missing_text(decision: Decision) -> str:
    """What an uncooperative decision's department failed to do, as the M14.4 list says it."""
    what = "认领" if decision.status == DecisionStatus.PUSHED else "反馈事中事后监管情况"
    return f"{decision.item_type}：{decision.applicant}，逾期未{what}"


def non_cooperation_url() -> str:
    return reverse("approvals:non_cooperation")
