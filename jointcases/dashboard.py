"""The joint case handling panel of the supervision dashboard (M6): joint operations in
preparation and under way, cases linked to them; guidance tasks waiting for a report and
overdue (M6.2 不作为、慢作为). Two statements whatever the data; each figure links to the
list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Scope, list_url, provider

from .models import GuidanceTask, JointOperation, OperationStatus, Participant
from .selectors import task_state_q


@provider("jointcases", "联合办案", order=20)
def jointcases_panel(scope: Scope) -> Panel | None:
    if not policy.may_open(scope.user, "joint.view"):
        return None

    def operations():
        qs = policy.visible_to(scope.user, JointOperation)
        if scope.org_ids is not None:
            qs = qs.filter(Q(lead_id__in=sorted(scope.org_ids)) | Q(pk__in=Participant.objects.filter(
                unit_id__in=sorted(scope.org_ids)).values("operation_id")))
        return qs

    def tasks():
        return scope.rows(GuidanceTask, "giver_id", "receiver_id")

    # Statement 1: the operations by status; statement 2: the tasks by state.
    ops = scope.aggregate("jointcases.operations", operations, {
        "preparing": Count("pk", filter=Q(status=OperationStatus.PREPARING)),
        "under_way": Count("pk", filter=Q(status=OperationStatus.UNDER_WAY))})
    states = ("open", "overdue", "late")
    counts = scope.aggregate("jointcases.tasks", tasks,
                             lambda: {s: Count("pk", filter=task_state_q(s)) for s in states})

    def task(state: str) -> Figure:
        return Figure(counts[state], list_url("jointcases:tasks", state=state))

    return Panel(
        key="jointcases", title="联合办案", order=20,
        description="联合执法和督导任务的当前办理情况。",
        metrics=[
            Metric("联合执法实施中", Figure(ops["under_way"], list_url("jointcases:list", status=OperationStatus.UNDER_WAY))),
            Metric("联合执法筹备中", Figure(ops["preparing"], list_url("jointcases:list", status=OperationStatus.PREPARING))),
            Metric("督导任务待反馈", task("open")),
            Metric("督导任务逾期未反馈", task("overdue"), tone="danger" if counts["overdue"] else ""),
            Metric("督导任务逾期反馈", task("late"), tone="warning" if counts["late"] else ""),
        ],
    )
