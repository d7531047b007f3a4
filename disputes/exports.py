"""The dispute ledger as Excel (core.exports): the list's filters and scope
(core.pages.filtered: an unreadable filter exports no rows, as it lists none)."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import DisputeFilterForm


def _rows(user, disputes):
    for d in disputes:
        parties = list(d.parties.all())
        yield (d.subject, d.get_kind_display(), d.applicant.name,
               "、".join(p.organization.name for p in parties), d.facts, d.filed_at,
               d.get_status_display(), d.refuse_reason, d.agreement,
               "；".join(f"{p.organization.name}：{'已确认' if p.confirmed_at else '未确认'}"
                        for p in parties) if d.agreed_at else "",
               d.submitted_at, d.ruling, d.competent.name if d.competent_id else "", d.ruled_at,
               d.closed_at)


EXPORTER = Exporter(
    kind="disputes", title="执法争议协调台账", capability="dispute.view",
    headers=("争议事项", "争议类别", "申请单位", "当事单位", "争议事实", "申请时间", "状态",
             "不予受理的理由", "协调意见", "各方确认情况", "报请裁决时间", "区政府裁决",
             "确定的管辖单位", "裁决时间", "执行完毕时间"),
    queryset=lambda user, params: filtered(DisputeFilterForm, params,
                                           lambda f: selectors.dispute_list(user, f)
                                           .select_related("competent")),
    rows=_rows)
