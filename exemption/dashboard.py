"""The interference-records panel of the supervision dashboard (M12.2): the interferences
recorded in the period, refused or not, and those since corrected. One statement whatever
the data; each figure links to the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import InterferenceRecord
from .selectors import records_visible


@provider("exemption", "干预执法记录", order=120)
def exemption_panel(scope: Scope) -> Panel | None:
    period = scope.period

    def records():
        return records_visible(scope.user).filter(
            occurred_at__gte=period.start_at, occurred_at__lt=period.end_before,
            **scope.org_filter("unit"))

    # The one statement.
    n = scope.aggregate("exemption", records, lambda: {
        "n_total": Count("pk"), "n_refused": Count("pk", filter=Q(refused=True)),
        "n_not_refused": Count("pk", filter=Q(refused=False)),
        "n_corrected": Count("pk", filter=Q(pk__in=InterferenceRecord.objects.exclude(
            corrects=None).values("corrects_id")))})
    if not n["n_total"]:
        return None
    span = {"since": period.start.isoformat(), "until": period.end.isoformat()}
    if scope.org_ids is not None and len(scope.org_ids) == 1:
        span["unit"] = next(iter(scope.org_ids))

    # The list filters one unit at a time: figures over several have no exact list.
    linkable = scope.org_ids is None or len(scope.org_ids) == 1

    def figure(value: int, **params) -> Figure:
        return Figure(value, list_url("exemption:list", **span, **params) if linkable else "")

    return Panel(
        key="exemption", title="干预执法记录", order=120,
        description=f"{period.label} 内发生的干预行政执法活动、插手具体案件的记录。",
        metrics=[
            Metric("干预记录", figure(n["n_total"])),
            Metric("已拒绝", figure(n["n_refused"], refused="yes")),
            Metric("未拒绝", figure(n["n_not_refused"], refused="no"),
                   tone="warning" if n["n_not_refused"] else ""),
            Metric("已被更正", figure(n["n_corrected"], corrected="yes")),
        ],
    )
