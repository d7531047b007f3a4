"""我的时限 as an Excel sheet (``core.exports``): the rows the list shows for the same
filters, each time as the list writes it."""
from __future__ import annotations

from core import formats, pages
from core.exports import Exporter

from . import selectors
from .forms import DeadlineFilterForm

HEADERS = ("事项", "时限规则", "责任单位", "责任人", "起算时间", "届满时间", "状态", "完成时间",
           "暂定", "督办")


def _rows(user, deadlines):
    for d in deadlines:
        late = "（逾期完成）" if d.is_late else ""
        escalation = ""
        if d.escalation_level:
            escalation = "区司法局已签收" if d.escalation_acknowledged_at else "区司法局尚未签收"
        yield (d.target_repr, d.rule_label, d.responsible.name, str(d.person or ""),
               formats.moment_text(d.start), formats.due_text(d.due),
               f"{d.get_state_display()}{late}", formats.moment_text(d.met_at),
               "是" if d.provisional else "否", escalation)


DEADLINE_EXPORTER = Exporter(
    kind="deadlines", title="期限台账", capability="deadline.export", headers=HEADERS,
    queryset=lambda user, params: pages.filtered(
        DeadlineFilterForm, params, lambda filters: selectors.deadline_list(user, filters)),
    rows=_rows,
)
