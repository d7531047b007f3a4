"""The procedures of M6: a joint operation starts only with its work plan and emergency
plan written and every participant's confirmation, and closes with its results (M6.1); a
guidance task is reported by the lower unit — meeting its due date — and accepted or sent
back by the higher one (M6.2). Steps with a form of their own (plans, closing, reporting)
are services that call these tables."""
from __future__ import annotations

from core.workflow import Meets, Transition, Workflow

from .models import JointOperation, Participant
from .models import OperationStatus as O
from .models import TaskStatus as T

REPORT_RULE = "guidance_report"


def _plans_written(op: JointOperation) -> list[str]:
    reasons = []
    if not op.work_plan.strip() or op.work_plan_file_id is None:
        reasons.append("请填写工作方案并上传方案文件。")
    if not op.emergency_plan.strip() or op.emergency_plan_file_id is None:
        reasons.append("请填写应急预案并上传预案文件。")
    return reasons


def _all_confirmed(op: JointOperation) -> list[str]:
    parts = Participant.objects.filter(operation_id=op.pk)
    if not parts.exists():
        return ["联合执法须有参加单位。"]
    waiting = list(parts.filter(confirmed_at__isnull=True).values_list("unit__name", flat=True))
    return [f"尚待{'、'.join(waiting)}确认参加。"] if waiting else []


def _has_results(op: JointOperation) -> list[str]:
    return [] if op.results.strip() else ["请填写行动成果。"]


OPERATION_WORKFLOW = Workflow(
    owner=lambda op: op.lead,
    transitions=[
        Transition((O.PREPARING,), O.UNDER_WAY, "joint.lead", "启动联合执法",
                   guards=(_plans_written, _all_confirmed), done="联合执法已启动。"),
        # Closing carries the results: jointcases.services.operation_close.
        Transition((O.UNDER_WAY,), O.CLOSED, "joint.lead", "结束并形成成果",
                   guards=(_has_results,), done="联合执法已结束。"),
    ],
)

TASK_WORKFLOW = Workflow(
    owner=lambda task: task.receiver,
    transitions=[
        # Reporting carries the text: jointcases.services.guidance_task_report.
        Transition((T.ASSIGNED, T.RETURNED), T.REPORTED, "guidance.report", "反馈落实情况",
                   meets=(Meets(REPORT_RULE),), done="落实情况已反馈。"),
        Transition((T.REPORTED,), T.ACCEPTED, "guidance.assign", "认可落实情况",
                   org=lambda task: task.giver, done="已认可落实情况。"),
        Transition((T.REPORTED,), T.RETURNED, "guidance.assign", "退回重新落实",
                   org=lambda task: task.giver, needs_note=True, secondary=True,
                   done="已退回，承办单位须重新反馈。"),
    ],
)
