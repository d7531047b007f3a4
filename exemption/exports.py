"""The interference records as Excel (core.exports): the list's filters and scope."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import InterferenceFilterForm


def _rows(user, records):
    for r in records:
        yield (r.seq, r.occurred_at, r.interferer_name, r.interferer_unit, r.interferer_position,
               r.get_kind_display(), r.get_method_display(), r.demand, "是" if r.refused else "否",
               r.response, r.case.number if r.case else "", str(r.recorded_by), r.unit.name,
               r.created_at, r.corrects.seq if r.corrects else "", r.correction_reason, r.hash)


EXPORTERS = (
    Exporter(
        kind="interference_records", title="干预执法活动记录", capability="interference.view",
        headers=("编号", "干预时间", "干预人姓名", "干预人单位", "干预人职务或身份", "干预类别",
                 "干预方式", "干预内容", "是否拒绝", "拒绝或处理情况", "涉及案件", "记录人",
                 "记录人所在单位", "记录时间", "更正的记录编号", "更正理由", "哈希"),
        queryset=lambda user, params: filtered(InterferenceFilterForm, params,
                                               lambda f: selectors.record_list(user, f)),
        rows=_rows),
)
