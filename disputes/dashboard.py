"""The disputes panel of the supervision dashboard (loaded by dashboard.registry.autodiscover):
the open disputes by state and by age since filing (M2.1), the rulings the district
government has still to make and the parties late with a step (M2.4). One statement
whatever the data; each figure links to the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import OPEN_STATES, Dispute, DisputeStatus
from .selectors import AGE_LABELS, age_bounds, age_q, involving_q

S = DisputeStatus


@provider("disputes", "执法争议协调", order=15)
def disputes_panel(scope: Scope) -> Panel | None:
    # One unit's dashboard (its own, or the one the justice bureau picked): the lists the
    # figures link to are narrowed to it too.
    unit = {}
    if scope.org_ids is not None and len(scope.org_ids) == 1:
        unit = {"party": next(iter(scope.org_ids))}

    def disputes():
        qs = policy.visible_to(scope.user, Dispute).exclude(status=S.DRAFT)
        if scope.org_ids is not None:
            qs = qs.filter(involving_q(sorted(scope.org_ids)))
        return qs

    states = [s for s in S if s != S.DRAFT]

    def aggregates(d30, d90) -> dict:
        return dict(
            total=Count("pk"),
            **{f"s_{s.value}": Count("pk", filter=Q(status=s)) for s in states},
            **{f"a_{age}": Count("pk", filter=age_q(age, bounds=(d30, d90))) for age in AGE_LABELS},
            open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        )

    d30, d90 = age_bounds(scope.now)
    counts = scope.aggregate("disputes", lambda d30, d90: disputes(), aggregates, d30=d30, d90=d90)
    if not counts["total"]:
        return None

    def by_status(status: str) -> Figure:
        return Figure(counts[f"s_{status}"], list_url("disputes:list", **unit, status=status))

    state_table = Table(
        key="disputes-states", caption="争议办理情况", row_header="状态", columns=("件数",),
        rows=[Row(str(s.label), [by_status(s)]) for s in states])
    age_table = Table(
        key="disputes-ages", caption="未办结争议的时长（自申请之日起）", row_header="时长",
        columns=("件数",),
        rows=[Row(label, [Figure(counts[f"a_{age}"], list_url("disputes:list", **unit, age=age))])
              for age, label in AGE_LABELS.items()])
    pending = counts[f"s_{S.SUBMITTED}"]
    return Panel(
        key="disputes", title="执法争议协调", order=15,
        description="当前各争议的办理情况；时长自提出协调申请之日起计算。",
        metrics=[
            Metric("未办结争议", Figure(counts["open"], list_url("disputes:list", **unit, open="on"))),
            Metric("待受理", by_status(S.FILED)),
            Metric("协调中", by_status(S.COORDINATING)),
            Metric("待区政府裁决", by_status(S.SUBMITTED), tone="warning" if pending else ""),
            Metric("超过90日未办结", Figure(counts["a_older"], list_url("disputes:list", **unit, age="older")),
                   tone="danger" if counts["a_older"] else ""),
        ],
        tables=[state_table, age_table],
    )
