"""Reads of the guiding cases and their visibility: a case for its department, the
experts invited on it, the government once approved; published cases for every member
(they are public). The justice bureau sees all (core.policy)."""
from __future__ import annotations

from typing import Any, Mapping

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from core import policy
from core.models import Organization, OrgKind, Role

from .models import ExpertOpinion, GuidingCase, GuidingStatus, Origin

RULE = "guiding_case_submission"
OPINION_RULE = "expert_opinion"


@policy.register_scope(GuidingCase)
def _guiding_cases(viewer: policy.Viewer) -> Q:
    q = Q(department_id__in=viewer.org_ids) | Q(status=GuidingStatus.PUBLISHED) | Q(
        pk__in=ExpertOpinion.objects.filter(expert_id=viewer.user_id).values("guiding_case_id"))
    if any(role == Role.GOVERNMENT for _org, role in viewer.roles):
        q |= Q(status__in=[GuidingStatus.APPROVED, GuidingStatus.PUBLISHED])
    return q


@policy.register_scope(ExpertOpinion)
def _opinions(viewer: policy.Viewer) -> Q:
    # An expert sees his own; the department sees the opinions on its case.
    return Q(expert_id=viewer.user_id) | Q(guiding_case__department_id__in=viewer.org_ids)


def guiding_case_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[GuidingCase]:
    """Visible guiding cases filtered by year, department, act type, origin, status and q
    (title or text)."""
    f = filters or {}
    qs = policy.visible_to(user, GuidingCase).select_related("department", "case")
    for name in ("year", "department", "act_type", "origin", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(facts__icontains=f["q"])
                       | Q(significance__icontains=f["q"]) | Q(case__number__icontains=f["q"]))
    return qs.order_by("-year", "-created_at", "-id")


def guiding_case_get(user, pk) -> GuidingCase:
    return policy.access(user, GuidingCase.objects.select_related(
        "department", "case", "created_by", "published_by"), pk)


def opinions_of(user, gc: GuidingCase) -> models.QuerySet[ExpertOpinion]:
    """The opinions on ``gc`` the user may read: all of them for the bureau and the
    department; an expert only his own (each gives his view independently)."""
    qs = gc.opinions.select_related("expert")
    if policy.sees_all(user) or policy.viewer(user).org_ids & {gc.department_id}:
        return qs
    return qs.filter(expert_id=user.pk)


def public_list(filters: Mapping[str, Any] | None = None) -> models.QuerySet[GuidingCase]:
    """The published cases, for the public portal (no sign-in: no scope, only published)."""
    f = filters or {}
    qs = GuidingCase.objects.filter(status=GuidingStatus.PUBLISHED).select_related("department")
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("act_type"):
        qs = qs.filter(act_type=f["act_type"])
    return qs.order_by("-published_on", "-id")


def published_of_year(year: int) -> models.QuerySet[GuidingCase]:
    return (GuidingCase.objects.filter(status=GuidingStatus.PUBLISHED, year=year)
            .select_related("department").order_by("act_type", "department__name", "id"))


def nominating_departments() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True)


def submitted_counts(year: int) -> dict[int, int]:
    """Department id → cases it submitted itself for ``year`` (one GROUP BY)."""
    return dict(GuidingCase.objects.filter(year=year, origin=Origin.DEPARTMENT).order_by()
                .values("department_id").annotate(n=Count("pk")).values_list("department_id", "n"))


def shortfall(year: int) -> list[tuple[Organization, int]]:
    """M11.4: the departments below ``settings.GUIDING_CASES_PER_YEAR`` cases for
    ``year``, each with how many it submitted (two statements)."""
    needed = settings.GUIDING_CASES_PER_YEAR
    counts = submitted_counts(year)
    return [(org, counts.get(org.pk, 0)) for org in nominating_departments().order_by("name")
            if counts.get(org.pk, 0) < needed]


def expert_choices() -> models.QuerySet:
    from core.models import User

    return User.objects.filter(is_active=True, memberships__role=Role.EXPERT,
                               memberships__organization__kind=OrgKind.EXPERT_POOL,
                               memberships__organization__is_active=True).distinct().order_by("real_name")
