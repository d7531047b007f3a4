"""Reads of the joint meetings and their visibility: a body, its meetings and liaisons are
seen by its convener and its member units; a proposal by its proposer and the convener; an
agreed matter by the convener and the departments it is assigned to. The justice bureau
sees all (core.policy)."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from core import policy
from core.models import Attachment, Organization
from deadlines.models import Deadline, DeadlineState

from .models import (Assignment, AssignmentStatus, JointBody, Liaison, Meeting, MeetingProposal,
                     Resolution, ResolutionStatus)

FEEDBACK_RULE = "resolution_feedback"


def _bodies_of(viewer: policy.Viewer) -> models.QuerySet:
    return (JointBody.objects.filter(Q(convener_id__in=viewer.org_ids)
                                     | Q(members__in=viewer.org_ids)).values("pk"))


@policy.register_scope(JointBody)
def _bodies(viewer: policy.Viewer) -> Q:
    return Q(pk__in=_bodies_of(viewer))


@policy.register_scope(Meeting)
def _meetings(viewer: policy.Viewer) -> Q:
    return Q(body_id__in=_bodies_of(viewer))


@policy.register_scope(Liaison)
def _liaisons(viewer: policy.Viewer) -> Q:
    # The liaisons are the body's directory: every member unit sees whom to call.
    return Q(body_id__in=_bodies_of(viewer))


@policy.register_scope(MeetingProposal)
def _proposals(viewer: policy.Viewer) -> Q:
    return Q(proposer_id__in=viewer.org_ids) | Q(body__convener_id__in=viewer.org_ids)


@policy.register_scope(Resolution)
def _resolutions(viewer: policy.Viewer) -> Q:
    return Q(meeting__body__convener_id__in=viewer.org_ids) | Q(
        pk__in=Assignment.objects.filter(department_id__in=viewer.org_ids).values("resolution_id"))


@policy.register_scope(Assignment)
def _assignments(viewer: policy.Viewer) -> Q:
    return Q(resolution_id__in=Resolution.objects.filter(_resolutions(viewer)).values("pk"))


# --- bodies and liaisons ---------------------------------------------------------------
def body_list(user) -> models.QuerySet[JointBody]:
    return policy.visible_to(user, JointBody).select_related("convener")


def body_get(user, pk) -> JointBody:
    return policy.access(user, JointBody.objects.select_related("convener"), pk)


def members_without_liaison(body: JointBody) -> models.QuerySet[Organization]:
    """M1.4, M14.3: the member units that have not named their liaison."""
    return body.members.filter(is_active=True).exclude(
        pk__in=Liaison.objects.filter(body=body).values("unit_id")).order_by("name")


def member_rows(body: JointBody) -> list[tuple[Organization, Liaison | None]]:
    """Each member unit of ``body`` with its liaison (None: not named yet)."""
    liaisons = {li.unit_id: li for li in body.liaisons.select_related("person")}
    return [(org, liaisons.get(org.pk)) for org in body.members.filter(is_active=True).order_by("name")]


def liaison_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Liaison]:
    """Visible liaisons, filtered by body and q (unit, person or post)."""
    f = filters or {}
    qs = policy.visible_to(user, Liaison).select_related("body", "unit", "person")
    if f.get("body"):
        qs = qs.filter(body=f["body"])
    if f.get("q"):
        text = f["q"]
        qs = qs.filter(Q(unit__name__icontains=text) | Q(person__real_name__icontains=text)
                       | Q(post__icontains=text))
    return qs.order_by("body__kind", "unit__name")


def member_units_for(user, body: JointBody, capability: str) -> models.QuerySet[Organization]:
    """The member units of ``body`` for which ``user`` holds ``capability``."""
    return policy.organizations_with(user, capability).filter(pk__in=body.members.values("pk"))


# --- proposals and meetings ------------------------------------------------------------
def proposal_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[MeetingProposal]:
    f = filters or {}
    qs = policy.visible_to(user, MeetingProposal).select_related("body", "proposer")
    if f.get("body"):
        qs = qs.filter(body=f["body"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("q"):
        qs = qs.filter(Q(subject__icontains=f["q"]) | Q(reason__icontains=f["q"])
                       | Q(proposer__name__icontains=f["q"]))
    return qs.order_by("-created_at", "-id")


def proposal_get(user, pk) -> MeetingProposal:
    return policy.access(user, MeetingProposal.objects.select_related(
        "body", "body__convener", "proposer", "created_by"), pk)


def meeting_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Meeting]:
    """Visible meetings, filtered by body, kind, status, since/until (the date it is or
    was held, local dates) and q (title or place)."""
    f = filters or {}
    qs = policy.visible_to(user, Meeting).select_related("body")
    for name in ("body", "kind", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("since"):
        qs = qs.filter(starts_at__date__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(starts_at__date__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(place__icontains=f["q"]))
    return qs.order_by("-starts_at", "-id")


def meeting_get(user, pk) -> Meeting:
    return policy.access(user, Meeting.objects.select_related(
        "body", "body__convener", "proposal", "minutes", "created_by"), pk)


# --- agreed matters --------------------------------------------------------------------
def _feedback_deadlines() -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Assignment),
        target_id=Cast(OuterRef("pk"), CharField()), rule=FEEDBACK_RULE)


def overdue_assignment_q() -> Q:
    """An assignment whose feedback deadline has run out (the sweep marks it)."""
    return Q(Exists(_feedback_deadlines().filter(state=DeadlineState.OVERDUE)))


# The ledger's states, each a condition on a matter through its assignments: what the
# dashboard counts and the ledger lists are the same rows.
def _with(condition: Q) -> Q:
    return Q(Exists(Assignment.objects.filter(condition, resolution_id=OuterRef("pk"))))


STATE_LABELS = {
    "open": "落实中",
    "overdue": "逾期未反馈",
    "returned": "被退回待重新反馈",
    "reported": "待认可",
    "closed": "已办结",
}


def state_q(state: str) -> Q:
    open_ = Q(status=ResolutionStatus.OPEN)
    return {
        "open": open_,
        "overdue": open_ & _with(overdue_assignment_q()),
        "returned": open_ & _with(Q(status=AssignmentStatus.RETURNED)),
        "reported": open_ & _with(Q(status=AssignmentStatus.REPORTED)),
        "closed": Q(status=ResolutionStatus.CLOSED),
    }[state]


def resolution_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Resolution]:
    """The ledger of agreed matters: visible matters filtered by body, meeting, department
    (assigned to), state (``STATE_LABELS``) and q (title or requirement)."""
    f = filters or {}
    qs = policy.visible_to(user, Resolution).select_related("meeting", "meeting__body")
    if f.get("body"):
        qs = qs.filter(meeting__body=f["body"])
    if f.get("meeting"):
        qs = qs.filter(meeting=f["meeting"])
    if f.get("department"):
        qs = qs.filter(_with(Q(department=f["department"])))
    if f.get("state"):
        qs = qs.filter(state_q(f["state"]))
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(content__icontains=f["q"]))
    return qs.prefetch_related("assignments__department").order_by("due_on", "-id")


def resolution_get(user, pk) -> Resolution:
    return policy.access(user, Resolution.objects.select_related(
        "meeting", "meeting__body", "meeting__body__convener", "created_by"), pk)


def assignments_of(resolution: Resolution) -> models.QuerySet[Assignment]:
    """The departments' parts with their deadline's state and due (one query)."""
    rows = _feedback_deadlines().filter(state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE,
                                                   DeadlineState.MET]).order_by("-id")
    return (resolution.assignments.select_related("department", "reported_by")
            .annotate(due=models.Subquery(rows.values("due")[:1]),
                      deadline_state=models.Subquery(rows.values("state")[:1])))


def assignment_get(user, pk) -> Assignment:
    return policy.access(user, Assignment.objects.select_related(
        "resolution", "resolution__meeting", "resolution__meeting__body",
        "resolution__meeting__body__convener", "department"), pk)


def files_of(user, obj: models.Model) -> models.QuerySet[Attachment]:
    """The files stored on ``obj`` (a report's materials, a meeting's minutes) the user sees."""
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).select_related("uploaded_by")
