"""The joint case handling lists as Excel (core.exports), with the lists' filters and scopes."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import OperationFilterForm, TaskFilterForm

EXPORTERS = (
    Exporter(
        kind="joint_operations", title="联合执法台账", capability="joint.view",
        headers=("行动名称", "执法领域", "牵头部门", "参加单位", "计划开始日期", "计划结束日期", "状态",
                 "启动时间", "行动成果", "结束时间"),
        queryset=lambda user, params: filtered(OperationFilterForm, params,
                                               lambda f: selectors.operation_list(user, f)),
        rows=lambda user, ops: ((o.title, o.get_field_display(), o.lead.name,
                                 "、".join(p.unit.name for p in o.participants.all()), o.starts_on,
                                 o.ends_on, o.get_status_display(), o.started_at, o.results, o.closed_at)
                                for o in ops)),
    Exporter(
        kind="guidance_tasks", title="督导任务台账", capability="joint.view",
        headers=("任务名称", "任务类别", "下达单位", "承办单位", "任务要求", "反馈期限", "状态",
                 "落实情况", "反馈时间"),
        queryset=lambda user, params: filtered(TaskFilterForm, params,
                                               lambda f: selectors.task_list(user, f)),
        rows=lambda user, tasks: ((t.title, t.get_kind_display(), t.giver.name, t.receiver.name,
                                   t.content, t.due_on, t.get_status_display(), t.report, t.reported_at)
                                  for t in tasks)),
)
