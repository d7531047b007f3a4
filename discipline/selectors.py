"""Reads of discipline referrals and their visibility: the department, the commission the
referral was delivered to, and the justice bureau (which sees all)."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from core import policy
from core.models import Attachment
from deadlines.models import Deadline, DeadlineState

from .models import SENT_STATES, DisciplineReferral, ReferralStatus

RULE = "discipline_referral"


@policy.register_scope(DisciplineReferral)
def _referrals(viewer: policy.Viewer) -> Q:
    # The commission sees a referral only once it was delivered to it.
    return Q(department_id__in=viewer.org_ids) | Q(commission_id__in=viewer.org_ids,
                                                   status__in=SENT_STATES)


@policy.register_scope(Attachment)
def _penalty_decisions(viewer: policy.Viewer) -> Q:
    # The penalty decision travels with the referral (M10.3), even when it was uploaded
    # on the case, which the commission does not see.
    return Q(pk__in=DisciplineReferral.objects.filter(_referrals(viewer))
             .exclude(penalty_decision=None).values("penalty_decision_id"))


def _deadline_rows() -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(DisciplineReferral),
        target_id=Cast(OuterRef("pk"), CharField()), rule=RULE)


def overdue_or_late_q() -> Q:
    """M10.4: not referred in time — the deadline is overdue now, or was met after due."""
    rows = _deadline_rows()
    return Q(Exists(rows.filter(state=DeadlineState.OVERDUE))) | Q(
        Exists(rows.filter(state=DeadlineState.MET, met_at__gt=models.F("due"))))


def with_deadline(qs: models.QuerySet[DisciplineReferral]) -> models.QuerySet[DisciplineReferral]:
    rows = _deadline_rows().order_by("-id")
    return qs.annotate(due=models.Subquery(rows.values("due")[:1]),
                       deadline_state=models.Subquery(rows.values("state")[:1]),
                       met_at=models.Subquery(rows.values("met_at")[:1]))


def referral_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[DisciplineReferral]:
    """Visible referrals, filtered by status, department, late (overdue or met late), q
    (case number or party name)."""
    filters = filters or {}
    qs = policy.visible_to(user, DisciplineReferral).select_related("case", "department",
                                                                    "commission")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("department"):
        qs = qs.filter(department=filters["department"])
    if filters.get("late"):
        qs = qs.filter(overdue_or_late_q())
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(case__number__icontains=text) | Q(case__parties__name__icontains=text)
                       ).distinct()
    return with_deadline(qs).order_by("-created_at", "-id")


def accountability_leads(user, filters: Mapping[str, Any] | None = None
                         ) -> models.QuerySet[DisciplineReferral]:
    """M10.4: referrals not made in time (overdue or late) and those judged to hold no
    discipline matter — the justice bureau's list; ``ground`` keeps one of the two."""
    policy.require(user, "referral.oversee")
    filters = dict(filters or {})
    ground = filters.pop("ground", "")
    late, no_matter = overdue_or_late_q(), Q(status=ReferralStatus.NO_MATTER)
    condition = {"late": late, "no_matter": no_matter}.get(ground, late | no_matter)
    return referral_list(user, filters).filter(condition)


def referral_get(user, pk) -> DisciplineReferral:
    return policy.access(user, DisciplineReferral.objects.select_related(
        "case", "department", "commission", "signed_by", "seal_confirmed_by",
        "acknowledged_by", "penalty_decision"), pk)


def referral_for_case(user, case) -> DisciplineReferral | None:
    return with_deadline(policy.visible_to(user, DisciplineReferral).filter(case=case)).first()
