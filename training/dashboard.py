"""The training panel of the supervision dashboard (W1): the period's sessions and
attendances, and the officers below the yearly hours target. Two statements whatever the
data; each figure links to its list."""
from __future__ import annotations

from django.db.models import Count

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import TrainingSession
from .selectors import officer_hours, target_hours


@provider("training", "执法培训", order=120)
def training_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "training.view"):
        return None
    period, year = scope.period, scope.period.end.year

    def sessions():
        return policy.visible_to(scope.user, TrainingSession).filter(
            held_on__gte=period.start, held_on__lte=period.end, **scope.org_filter("organizer_id"))

    # Statement 1: sessions and attendances in the period.
    counts = scope.aggregate("training.sessions", sessions, {
        "sessions": Count("pk", distinct=True), "people": Count("attendances")})

    # Statement 2: officers below the year's target.
    def short_officers():
        rows = officer_hours(scope.user, {"year": year, "short": True})
        if scope.org_ids is not None:
            rows = rows.filter(organization_id__in=sorted(scope.org_ids))
        return rows.model._default_manager.filter(pk__in=rows.values("pk"))

    short = scope.aggregate("training.short", short_officers, {"n": Count("pk")})["n"]
    span = {"since": period.start.isoformat(), "until": period.end.isoformat()}
    return Panel(
        key="training", title="执法培训", order=120,
        description=f"{period.label} 内举办的执法培训；学时目标为每人每年 {target_hours()} 学时。",
        metrics=[
            Metric("举办培训", Figure(counts["sessions"], list_url("training:list", **span))),
            Metric("参训人次", Figure(counts["people"], list_url("training:list", **span))),
            Metric(f"{year}年度学时未达标人员", Figure(short, list_url("training:hours", year=year, short="on")),
                   tone="warning" if short else ""),
        ])
