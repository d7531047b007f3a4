"""The supervision-checks panel of the dashboard (M7): checks under way and circulated
awaiting rectification, checks in the period, and the monitoring leads waiting and raised
in the period (M7.3). Two statements whatever the data; each figure links to its list."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import Check, CheckStatus, CheckUnit, Lead, LeadStatus


@provider("inspections", "监督检查", order=30)
def inspections_panel(scope: Scope) -> Panel | None:
    period = scope.period
    since, until = period.start.isoformat(), period.end.isoformat()

    def checks():
        qs = policy.visible_to(scope.user, Check)
        if scope.org_ids is not None:
            ids = sorted(scope.org_ids)
            qs = qs.filter(Q(organizer_id__in=ids) | Q(
                pk__in=CheckUnit.objects.filter(unit_id__in=ids).values("check_record_id")))
        return qs

    # Statement 1: the checks by state and in the period (the list's own conditions).
    c = scope.aggregate("inspections.checks", checks, {
        "underway": Count("pk", filter=Q(status=CheckStatus.UNDERWAY)),
        "circulated": Count("pk", filter=Q(status=CheckStatus.CIRCULATED)),
        "in_period": Count("pk", filter=Q(ends_on__gte=period.start, starts_on__lte=period.end))})
    metrics = [
        Metric("检查中", Figure(c["underway"], list_url("inspections:list", status=CheckStatus.UNDERWAY))),
        Metric("已通报待整改办结", Figure(c["circulated"], list_url("inspections:list",
                                                              status=CheckStatus.CIRCULATED)),
               tone="warning" if c["circulated"] else ""),
        Metric("本期开展的检查", Figure(c["in_period"], list_url("inspections:list", since=since, until=until))),
    ]
    if policy.has_capability(scope.user, "inspection.leads"):
        def leads():
            qs = policy.visible_to(scope.user, Lead)
            if scope.org_ids is not None:
                qs = qs.filter(organization_id__in=sorted(scope.org_ids))
            return qs

        # Statement 2: the leads waiting, and those raised in the period.
        n = scope.aggregate("inspections.leads", leads, {
            "open": Count("pk", filter=Q(status=LeadStatus.OPEN)),
            "raised": Count("pk", filter=Q(observed_on__gte=period.start, observed_on__lte=period.end))})
        metrics += [
            Metric("待处理监测线索", Figure(n["open"], list_url("inspections:leads", status=LeadStatus.OPEN)),
                   tone="danger" if n["open"] else ""),
            Metric("本期新发现线索", Figure(n["raised"], list_url("inspections:leads", since=since, until=until))),
        ]
    return Panel(key="inspections", title="监督检查", order=30,
                 description=f"{period.label} 内开展的监督检查和发现的监测线索；检查状态为当前情况。",
                 metrics=metrics)
