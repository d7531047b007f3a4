"""Reads of the appraisal and their visibility. The justice bureau sees all (core.policy);
the district government sees the appraisals it approves; an appraised unit sees its own
points and result once the government has approved them (M9.4 反馈), its own
self-assessments and officer evaluations; an officer sees his own grades."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Sequence

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q

from core import policy
from core.models import Organization, OrgKind

from . import indicators
from .models import (Appraisal, AppraisalStatus, Grade, Item, Method, OfficerEvaluation,
                     OfficerGrade, ReportStatus, Result, Reversal, Score, SelfAssessment)

APPRAISED_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)
FED_BACK = (AppraisalStatus.APPROVED, AppraisalStatus.PUBLISHED)


def _in_government(viewer: policy.Viewer) -> Q:
    return Q(Exists(Organization.objects.filter(pk__in=viewer.org_ids, kind=OrgKind.GOVERNMENT)))


@policy.register_scope(Appraisal)
def _appraisals(viewer: policy.Viewer) -> Q:
    return (Q(government_id__in=viewer.org_ids) & ~Q(status=AppraisalStatus.DRAFT)) | (
        Q(status__in=FED_BACK) & Q(pk__in=Appraisal.units.through.objects.filter(
            organization_id__in=viewer.org_ids).values("appraisal_id")))


@policy.register_scope(Result)
def _results(viewer: policy.Viewer) -> Q:
    return (Q(appraisal__government_id__in=viewer.org_ids)
            | Q(unit_id__in=viewer.org_ids, appraisal__status__in=FED_BACK))


@policy.register_scope(Score)
def _scores(viewer: policy.Viewer) -> Q:
    return (Q(item__appraisal__government_id__in=viewer.org_ids)
            | Q(unit_id__in=viewer.org_ids, item__appraisal__status__in=FED_BACK))


@policy.register_scope(Reversal)
def _reversals(viewer: policy.Viewer) -> Q:
    return Q(unit_id__in=viewer.org_ids)


@policy.register_scope(SelfAssessment)
def _self_assessments(viewer: policy.Viewer) -> Q:
    # M9.6: reported to the government; a published one is everyone's to read.
    return (Q(department_id__in=viewer.org_ids) | Q(status=ReportStatus.PUBLISHED)
            | (_in_government(viewer) & ~Q(status=ReportStatus.DRAFT)))


@policy.register_scope(OfficerEvaluation)
def _evaluations(viewer: policy.Viewer) -> Q:
    return Q(department_id__in=viewer.org_ids) | Q(status=ReportStatus.PUBLISHED)


@policy.register_scope(OfficerGrade)
def _grades(viewer: policy.Viewer) -> Q:
    return (Q(evaluation__department_id__in=viewer.org_ids) | Q(officer_id=viewer.user_id)
            | Q(evaluation__status=ReportStatus.PUBLISHED))


# --- appraisals ------------------------------------------------------------------------
def appraisal_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Appraisal]:
    f = filters or {}
    qs = policy.visible_to(user, Appraisal).select_related("organizer", "government")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("q"):
        qs = qs.filter(title__icontains=f["q"])
    return qs.order_by("-year")


def appraisal_get(user, pk) -> Appraisal:
    return policy.access(user, Appraisal.objects.select_related(
        "organizer", "government", "report", "approved_by", "created_by"), pk)


def appraisal_of_year(year: int) -> Appraisal | None:
    return Appraisal.objects.filter(year=year).first()


def appraised_units() -> models.QuerySet[Organization]:
    """M9.1: the departments and the township governments."""
    return Organization.objects.filter(kind__in=APPRAISED_KINDS, is_active=True).order_by("kind", "name")


def units_of(appraisal: Appraisal) -> models.QuerySet[Organization]:
    """The units appraised: fixed when the appraisal opens; before, those it would take."""
    if appraisal.status == AppraisalStatus.DRAFT:
        return appraised_units()
    return appraisal.units.order_by("kind", "name")


def unscored_count(appraisal: Appraisal) -> int:
    """How many (scored item, unit) pairs still lack the bureau's points."""
    scored_items = appraisal.items.filter(method=Method.SCORED)
    wanted = scored_items.count() * appraisal.units.count()
    have = Score.objects.filter(item__in=scored_items, unit__in=appraisal.units.all()).count()
    return max(0, wanted - have)


@dataclass
class Cell:
    """A unit's standing on one item: the points, and for a computed item its figure with
    the link to the rows behind it."""

    item: Item
    points: Decimal | None
    figure: str = ""
    url: str = ""
    score: Score | None = None
    value: float | int | None = None  # a computed item's figure


def _live(appraisal: Appraisal) -> bool:
    return appraisal.status in (AppraisalStatus.DRAFT, AppraisalStatus.OPEN)


def sheets(appraisal: Appraisal, unit_ids: Sequence[int], *, live: bool | None = None
           ) -> dict[int, list[Cell]]:
    """unit id → its cells, one per item: scored points from the bureau's scores; computed
    ones live from the indicators while the appraisal is open, as fixed at the proposal
    after (``live=True``: computed now, as the proposal fixes them). One read of the
    scores, one ``compute_all`` (queries independent of the units)."""
    items = list(appraisal.items.all())
    scores = {(s.item_id, s.unit_id): s for s in Score.objects.filter(
        item__appraisal=appraisal, unit_id__in=unit_ids).select_related("scored_by")}
    live = _live(appraisal) if live is None else live
    computed = [i for i in items if i.method == Method.COMPUTED]
    figures = indicators.compute_all(appraisal.year, unit_ids, [i.indicator for i in computed]) if live else {}
    out: dict[int, list[Cell]] = {}
    for unit_id in unit_ids:
        cells = []
        for item in items:
            score = scores.get((item.pk, unit_id))
            if item.method == Method.SCORED:
                cells.append(Cell(item, score.points if score else None, score=score))
                continue
            indicator = indicators.get(item.indicator)
            url = indicator.rows_url(appraisal.year, unit_id) if indicator else ""
            if live:
                if indicator is None:
                    cells.append(Cell(item, None, "数据来源尚未接入"))
                    continue
                value = figures.get(item.indicator, {}).get(unit_id)
                cells.append(Cell(item, indicator.points(value, item.weight), indicator.text(value),
                                  url, value=value))
            else:
                value = score.value if score else None
                text = indicator.text(value) if indicator else ("无数据" if value is None else f"{value:g}")
                cells.append(Cell(item, score.points if score else None, text, url, score,
                                  value=value))
        out[unit_id] = cells
    return out


def total_of(cells: Sequence[Cell]) -> Decimal:
    return sum((c.points for c in cells if c.points is not None), start=Decimal(0))


def grade_for(total: Decimal) -> str:
    """M9.4: the grade a total earns by settings.ASSESSMENT_GRADE_THRESHOLDS."""
    thresholds = settings.ASSESSMENT_GRADE_THRESHOLDS
    for grade in (Grade.EXCELLENT, Grade.GOOD, Grade.PASS):
        if total >= Decimal(str(thresholds[grade])):
            return grade
    return Grade.FAIL


def result_list(user, appraisal: Appraisal, filters: Mapping[str, Any] | None = None
                ) -> models.QuerySet[Result]:
    f = filters or {}
    qs = policy.visible_to(user, Result).filter(appraisal=appraisal).select_related("unit")
    if f.get("grade"):
        qs = qs.filter(grade=f["grade"])
    if f.get("honour"):
        qs = qs.filter(honour=f["honour"])
    if f.get("q"):
        qs = qs.filter(unit__name__icontains=f["q"])
    return qs.order_by("-total", "unit__name")


def result_get(user, pk) -> Result:
    return policy.access(user, Result.objects.select_related("appraisal", "unit"), pk)


def published_appraisals() -> models.QuerySet[Appraisal]:
    """What the public portal shows (M9.4 予公布)."""
    return Appraisal.objects.filter(status=AppraisalStatus.PUBLISHED).select_related("report").order_by("-year")


def reversal_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Reversal]:
    f = filters or {}
    qs = policy.visible_to(user, Reversal).select_related("unit", "entered_by")
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("unit"):
        qs = qs.filter(unit=f["unit"])
    if f.get("q"):
        qs = qs.filter(Q(unit__name__icontains=f["q"]) | Q(note__icontains=f["q"]))
    return qs.order_by("-year", "unit__name")


# --- self-assessments and officer evaluations ------------------------------------------
def self_assessment_list(user, filters: Mapping[str, Any] | None = None
                         ) -> models.QuerySet[SelfAssessment]:
    f = filters or {}
    qs = policy.visible_to(user, SelfAssessment).select_related("appraisal", "department")
    if f.get("year"):
        qs = qs.filter(appraisal__year=f["year"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("q"):
        qs = qs.filter(Q(department__name__icontains=f["q"]) | Q(summary__icontains=f["q"]))
    return qs.order_by("-appraisal__year", "department__name")


def self_assessment_get(user, pk) -> SelfAssessment:
    return policy.access(user, SelfAssessment.objects.select_related(
        "appraisal", "department", "created_by"), pk)


def evaluation_list(user, filters: Mapping[str, Any] | None = None
                    ) -> models.QuerySet[OfficerEvaluation]:
    f = filters or {}
    qs = policy.visible_to(user, OfficerEvaluation).select_related("department")
    if f.get("period"):
        qs = qs.filter(period=f["period"])
    if f.get("year"):
        qs = qs.filter(period__startswith=f"{f['year']}-")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("q"):
        qs = qs.filter(department__name__icontains=f["q"])
    return qs.order_by("-period", "department__name")


def evaluation_get(user, pk) -> OfficerEvaluation:
    return policy.access(user, OfficerEvaluation.objects.select_related(
        "department", "created_by"), pk)


def officer_history(user, officer_id: int) -> models.QuerySet[OfficerGrade]:
    """M9.7: an officer's grades, newest first, as far as the viewer may see them."""
    return (policy.visible_to(user, OfficerGrade).filter(officer_id=officer_id)
            .select_related("evaluation", "evaluation__department").order_by("-evaluation__period"))


def officers_of(department: Organization) -> models.QuerySet:
    """The department's enforcement officers and legal officers (M9.7)."""
    from core.models import Role, User

    return (User.objects.filter(memberships__organization=department, is_active=True,
                                memberships__role__in=[Role.OFFICER, Role.LEGAL_OFFICER])
            .distinct().order_by("real_name"))


def half_year(day: dt.date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"
