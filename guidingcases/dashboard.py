"""The guiding-cases panel of the supervision dashboard: the year's cases submitted,
under review, awaiting publication and published (M11.2–M11.3), and the departments below
the yearly figure (M11.4). Two statements whatever the data; each figure links to its
list."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import GuidingCase, GuidingStatus, Origin
from .selectors import nominating_departments


@provider("guidingcases", "指导案例", order=110)
def guidingcases_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "guidingcase.view"):
        return None
    year = scope.period.end.year

    def cases():
        return policy.visible_to(scope.user, GuidingCase).filter(year=year, **scope.org_filter("department_id"))

    # Statement 1: the year's cases by state.
    counts = scope.aggregate("guidingcases", cases, {
        "submitted": Count("pk", filter=Q(status=GuidingStatus.SUBMITTED)),
        "reviewing": Count("pk", filter=Q(status=GuidingStatus.REVIEWING)),
        "approved": Count("pk", filter=Q(status=GuidingStatus.APPROVED)),
        "published": Count("pk", filter=Q(status=GuidingStatus.PUBLISHED))})
    # Statement 2: departments below the yearly figure (M11.4).
    short = None
    if policy.sees_all(scope.user):
        def short_departments():
            n = Coalesce(Subquery(GuidingCase.objects.filter(
                department_id=OuterRef("pk"), year=year, origin=Origin.DEPARTMENT).order_by()
                .values("department_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField()), 0)
            return (nominating_departments().filter(**scope.org_filter("pk")).annotate(n=n)
                    .filter(n__lt=settings.GUIDING_CASES_PER_YEAR).values("pk"))

        short = len(scope.values("guidingcases.short", short_departments))

    def link(**params) -> str:
        return list_url("guidingcases:list", year=year, **params)

    metrics = [
        Metric("待审查", Figure(counts["submitted"], link(status=GuidingStatus.SUBMITTED))),
        Metric("专家论证中", Figure(counts["reviewing"], link(status=GuidingStatus.REVIEWING))),
        Metric("审查通过待发布", Figure(counts["approved"], link(status=GuidingStatus.APPROVED))),
        Metric("已发布", Figure(counts["published"], link(status=GuidingStatus.PUBLISHED))),
    ]
    if short is not None:
        metrics.append(Metric(f"报送不足{settings.GUIDING_CASES_PER_YEAR}件的部门",
                              Figure(short, f"{link()}#shortfall"), tone="warning" if short else ""))
    return Panel(key="guidingcases", title="指导案例", order=110,
                 description=f"{year}年度的行政执法指导案例。", metrics=metrics)
