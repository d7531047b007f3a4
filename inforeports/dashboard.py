"""The information-report panel of the supervision dashboard (W3): this month's reports
and adoptions, and the units below the monthly figure. Two statements whatever the data;
each figure links to its list."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import InfoReport, ReportStatus
from .selectors import month_start, monthly_table


@provider("inforeports", "执法信息报送", order=130)
def inforeports_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "inforeport.view"):
        return None
    month = month_start(min(scope.period.end, timezone.localdate()))
    key = f"{month:%Y-%m}"

    def reports():
        return policy.visible_to(scope.user, InfoReport).filter(month=month, **scope.org_filter("unit_id"))

    # Statement 1: the month's reports and adoptions.
    counts = scope.aggregate("inforeports", reports, {
        "n": Count("pk"), "adopted": Count("pk", filter=Q(status=ReportStatus.ADOPTED))})

    # Statement 2: the units below the monthly figure.
    def short_units():
        qs = monthly_table(scope.user, month, {"short": True})
        if scope.org_ids is not None:
            qs = qs.filter(pk__in=sorted(scope.org_ids))
        return qs.values("pk")

    short = len(scope.values("inforeports.short", short_units))
    return Panel(
        key="inforeports", title="执法信息报送", order=130,
        description=f"{month.year}年{month.month}月；每单位每月不少于 {settings.INFO_REPORTS_PER_MONTH} 篇。",
        metrics=[
            Metric("本月报送", Figure(counts["n"], list_url("inforeports:list", month=key))),
            Metric("本月采用", Figure(counts["adopted"], list_url("inforeports:list", month=key, status=ReportStatus.ADOPTED))),
            Metric("未达标单位", Figure(short, list_url("inforeports:monthly", month=key, short="on")),
                   tone="warning" if short else ""),
        ])
