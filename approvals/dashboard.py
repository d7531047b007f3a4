"""The approval–supervision panel of the supervision dashboard (M14.2, M14.4): decisions
received in the period, those waiting for a route, pushed and not claimed, claims overdue,
supervision feedback overdue. One statement whatever the data; each figure links to the
list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import Decision
from .selectors import state_q


@provider("approvals", "审批监管衔接", order=70)
def approvals_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "approval.view"):
        return None
    period = scope.period

    def decisions():
        return scope.rows(Decision, "department_id", "bureau_id")

    in_period = Q(decided_on__gte=period.start, decided_on__lte=period.end)
    states = ("unrouted", "pushed", "claim_overdue", "feedback_overdue")
    counts = scope.aggregate("approvals", decisions, lambda: {
        "received": Count("pk", filter=in_period), **{s: Count("pk", filter=state_q(s)) for s in states}})

    def figure(state: str) -> Figure:
        return Figure(counts[state], list_url("approvals:list", state=state))

    return Panel(
        key="approvals", title="审批监管衔接", order=70,
        description=f"{period.label} 内作出的审批决定；其余为当前办理情况。",
        metrics=[
            Metric("审批决定", Figure(counts["received"], list_url(
                "approvals:list", since=period.start.isoformat(), until=period.end.isoformat()))),
            Metric("未匹配监管部门", figure("unrouted"), tone="warning" if counts["unrouted"] else ""),
            Metric("待认领", figure("pushed")),
            Metric("认领逾期", figure("claim_overdue"), tone="danger" if counts["claim_overdue"] else ""),
            Metric("监管反馈逾期", figure("feedback_overdue"),
                   tone="danger" if counts["feedback_overdue"] else ""),
        ],
    )
