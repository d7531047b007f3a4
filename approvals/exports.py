"""The approvals lists as Excel (core.exports), with the lists' filters and scopes."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered, read_filters

from . import selectors
from .forms import DecisionFilterForm, NonCooperationFilterForm, RouteFilterForm


def _decision_rows(user, decisions):
    for d in decisions:
        yield (d.number, d.item_type, d.item_name, d.applicant, d.credit_code, d.address,
               d.decided_on, d.valid_until, d.get_source_display(),
               d.department.name if d.department else "未匹配", d.get_status_display(),
               d.pushed_at, d.claimed_at)


class Rows(list):
    """Computed rows (non-cooperation), read as the list page and the export read a queryset."""

    def count(self, *args) -> int:  # noqa: D102
        return len(self)

    def iterator(self, chunk_size=None):
        return iter(self)

    def none(self) -> "Rows":
        return Rows()


def non_cooperation_rows(user, params) -> Rows:
    _form, filters = read_filters(NonCooperationFilterForm, params)
    return Rows() if filters is None else Rows(selectors.non_cooperation(user, filters))


EXPORTERS = (
    Exporter(
        kind="approval_decisions", title="审批决定台账", capability="approval.view",
        headers=("审批决定文号", "审批事项类型", "审批事项名称", "申请人", "统一社会信用代码", "地址",
                 "决定日期", "有效期至", "来源", "对口监管部门", "状态", "推送时间", "认领时间"),
        queryset=lambda user, params: filtered(DecisionFilterForm, params,
                                               lambda f: selectors.decision_list(user, f)),
        rows=_decision_rows),
    Exporter(
        kind="approval_routes", title="审批监管路由表", capability="approval.view",
        headers=("审批事项类型", "对口监管部门", "说明", "维护时间"),
        queryset=lambda user, params: filtered(RouteFilterForm, params,
                                               lambda f: selectors.route_list(user, f)),
        rows=lambda user, routes: ((r.item_type, r.department.name, r.note, r.updated_at)
                                   for r in routes)),
    Exporter(
        kind="approval_non_cooperation", title="审批监管不配合情形", capability="approval.oversee",
        headers=("情形", "责任单位", "事项", "缺失内容", "期限"),
        queryset=non_cooperation_rows,
        rows=lambda user, rows: ((r.kind_label, r.department.name, r.subject, r.missing, r.due)
                                 for r in rows)),
)
