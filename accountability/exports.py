"""The accountability list as Excel (core.exports): the list's filters and scope."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import ProceedingFilterForm
from .views import age_days, deadline_text, officers_text


def _rows(user, proceedings):
    for p in proceedings:
        yield (p.subject, p.agency.name, officers_text(p), p.get_ground_display(), p.facts,
               p.source_text or "本机关自行启动", p.created_at, age_days(p), deadline_text(p),
               p.get_status_display(), p.fault_determination, p.get_route_display(),
               p.outcome_organ, p.outcome, p.closed_at,
               p.get_reserved_to_display(), p.reserved_reason)


EXPORTERS = (
    Exporter(
        kind="accountability", title="行政执法责任追究台账", capability="accountability.view",
        headers=("问责事项", "责任追究机关", "责任人员", "问责情形", "问题事实", "问责线索来源",
                 "启动时间", "历时（天）", "认定期限", "状态", "过错责任认定", "处理方式",
                 "实施机关", "处理结果", "办结时间", "依法处理的机关", "不适用本机制的依据"),
        queryset=lambda user, params: filtered(ProceedingFilterForm, params,
                                               lambda f: selectors.proceeding_list(user, f)),
        rows=_rows),
)
