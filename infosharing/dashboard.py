"""The information-sharing panel of the supervision dashboard (M5): queries between
agencies waiting, overdue and refused in the period (M5.5); the period's quarterly web
inspections with the units inspected and those with problems (M5.3). Two statements
whatever the data; each figure links to the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import InfoQuery, QueryStatus, WebInspection
from .selectors import overdue_query_q


@provider("infosharing", "执法信息共享", order=50)
def infosharing_panel(scope: Scope) -> Panel | None:
    period = scope.period

    def queries():
        return scope.rows(InfoQuery, "requester_id", "addressee_id")

    in_period = Q(created_at__gte=period.start_at, created_at__lt=period.end_before)
    # Statement 1: the queries by state.
    counts = scope.aggregate("infosharing.queries", queries, lambda: {
        "asked": Count("pk", filter=Q(status=QueryStatus.ASKED)),
        "overdue": Count("pk", filter=Q(status=QueryStatus.ASKED) & overdue_query_q()),
        "refused": Count("pk", filter=Q(status=QueryStatus.REFUSED) & in_period),
    })
    # Statement 2: the inspections of the quarters the period touches.
    first = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    last = f"{period.end.year}-Q{(period.end.month - 1) // 3 + 1}"
    rows = scope.values("infosharing.inspections", lambda: (
        policy.visible_to(scope.user, WebInspection)
        .filter(period__gte=first, period__lte=last).order_by("period")
        .values("pk", "period")
        .annotate(units=Count("results"), with_problems=Count("results", filter=Q(results__problems__gt=0)))))
    inspections = []
    for r in rows:
        inspection = WebInspection(pk=r["pk"], period=r["period"])
        inspection.units, inspection.with_problems = r["units"], r["with_problems"]
        inspections.append(inspection)
    span = {"since": period.start.isoformat(), "until": period.end.isoformat()}
    table = Table(
        key="infosharing-inspections", caption="网上巡查", row_header="巡查季度",
        columns=("巡查单位", "发现问题的单位"),
        rows=[Row(i.period_label, [Figure(i.units, f"{i.get_absolute_url()}#results"),
                                   Figure(i.with_problems, f"{i.get_absolute_url()}#results")],
                  url=i.get_absolute_url()) for i in inspections])
    return Panel(
        key="infosharing", title="执法信息共享", order=50,
        description=f"{period.label} 内不予提供的查询与各季度网上巡查；待答复为当前情况。",
        metrics=[
            Metric("待答复的执法信息查询", Figure(counts["asked"], list_url("infosharing:queries", status=QueryStatus.ASKED))),
            Metric("逾期未答复", Figure(counts["overdue"], list_url("infosharing:queries", status=QueryStatus.ASKED, overdue="on")),
                   tone="danger" if counts["overdue"] else ""),
            Metric("不予提供", Figure(counts["refused"], list_url("infosharing:queries", status=QueryStatus.REFUSED, **span))),
            Metric("本期网上巡查", Figure(len(inspections), list_url("infosharing:inspections"))),
        ],
        tables=[table] if inspections else [],
    )
