"""The appraisal panel of the supervision dashboard: the period's year's appraisal — its
state, the units appraised and their grades (M9.4) — and the self-assessments (M9.6) and
officer evaluations (M9.7) filed. Two statements whatever the data; each figure links to
the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import Appraisal, Grade, OfficerEvaluation, ReportStatus, Result, SelfAssessment

FILED = (ReportStatus.FILED, ReportStatus.PUBLISHED)


def _count(qs) -> Coalesce:
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@provider("assessment", "考核评价", order=60)
def assessment_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "appraisal.view"):
        return None
    year = scope.period.end.year
    narrowed = scope.org_ids is not None
    ids = sorted(scope.org_ids or ())

    def results():
        qs = policy.visible_to(scope.user, Result).filter(appraisal__year=year)
        return qs.filter(unit_id__in=ids) if narrowed else qs

    def appraisal_row():
        sa = policy.visible_to(scope.user, SelfAssessment).filter(appraisal_id=OuterRef("pk"),
                                                                  status__in=FILED)
        ev = policy.visible_to(scope.user, OfficerEvaluation).filter(period__startswith=f"{year}-",
                                                                      status__in=FILED)
        units = Appraisal.units.through.objects.filter(appraisal_id=OuterRef("pk"))
        if narrowed:
            sa, ev = sa.filter(department_id__in=ids), ev.filter(department_id__in=ids)
            units = units.filter(organization_id__in=ids)
        return (policy.visible_to(scope.user, Appraisal).filter(year=year)
                .annotate(units_n=_count(units), sa_n=_count(sa), ev_n=_count(ev))
                .values("pk", "status", "units_n", "sa_n", "ev_n").order_by("pk")[:1])

    # Statement 1: the year's appraisal, its units, the self-assessments and evaluations filed.
    found = scope.values("assessment.appraisal", appraisal_row)
    if not found:
        return None
    appraisal = found[0]
    # Statement 2: the grades.
    grades = scope.aggregate("assessment.grades", results,
                             {g: Count("pk", filter=Q(grade=g)) for g in Grade.values})
    filed = {"sa": appraisal["sa_n"], "ev": appraisal["ev_n"]}
    detail = reverse("assessment:detail", args=[appraisal["pk"]])
    return Panel(
        key="assessment", title="考核评价", order=60,
        description=f"{year}年度依法行政考核：{dict(Appraisal._meta.get_field('status').choices)[appraisal['status']]}。",
        metrics=[
            Metric("被考核单位", Figure(appraisal["units_n"], detail)),
            Metric("优秀", Figure(grades[Grade.EXCELLENT], f"{detail}?grade={Grade.EXCELLENT}#results")),
            Metric("不合格", Figure(grades[Grade.FAIL], f"{detail}?grade={Grade.FAIL}#results"),
                   tone="danger" if grades[Grade.FAIL] else ""),
            Metric("已报备的考核自评", Figure(filed["sa"], list_url("assessment:self_assessments", year=year))),
            Metric("已备案的执法人员考核评议", Figure(filed["ev"], list_url("assessment:officer_evaluations", year=year))),
        ],
    )
