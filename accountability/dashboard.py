"""The accountability panel of the supervision dashboard (M8.1: the justice bureau
supervises every agency's proceedings): proceedings in progress, determined late, closed,
exempted and reserved — now, whatever the period —, and the same per agency. Two
statements whatever the data; each figure links to the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count

from core import policy
from dashboard.registry import Figure, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import Proceeding
from .selectors import STATE_LABELS, state_q

STATES = tuple(STATE_LABELS)


@provider("accountability", "责任追究", order=80)
def accountability_panel(scope: Scope) -> Panel | None:
    def proceedings():
        return policy.visible_to(scope.user, Proceeding).filter(**scope.org_filter("agency")).order_by()

    def counts() -> dict:
        return {s: Count("pk", filter=state_q(s)) for s in STATES}

    # Statement 1: the headline figures.
    totals = scope.aggregate("accountability", proceedings, lambda: {"total": Count("pk"), **counts()})
    if not totals["total"]:
        return None
    # Statement 2: the same per agency.
    per_agency = scope.values("accountability.agencies", lambda: (
        proceedings().values("agency_id", "agency__name").annotate(**counts()).order_by("agency__name")))

    def figure(state: str, n: int, **params) -> Figure:
        return Figure(n, list_url("accountability:list", state=state, **params))

    table = Table(key="accountability-agencies", caption="各机关责任追究情况", row_header="责任追究机关",
                  columns=tuple(STATE_LABELS.values()),
                  rows=[Row(r["agency__name"], [figure(s, r[s], agency=r["agency_id"]) for s in STATES])
                        for r in per_agency])
    return Panel(
        key="accountability", title="责任追究", order=80,
        description="各机关行政执法责任追究的当前办理情况（不限期间）。",
        metrics=[
            Metric("办理中", figure("open", totals["open"])),
            Metric("认定逾期", figure("overdue", totals["overdue"]),
                   tone="danger" if totals["overdue"] else ""),
            Metric("已办结", figure("concluded", totals["concluded"])),
            Metric("依法履职免责", figure("exempted", totals["exempted"])),
            Metric("不适用本机制", figure("reserved", totals["reserved"])),
        ],
        tables=[table],
    )
