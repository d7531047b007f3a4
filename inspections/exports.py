"""The checks, reviews and leads lists as Excel (core.exports): the same filters and scope
as the list pages (core.pages.filtered)."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import CheckFilterForm, LeadFilterForm, ReviewFilterForm
from .leads import rule_label


def _check_rows(user, checks):
    for c in checks:
        units = "、".join(r.unit.name for r in c.unit_rows.all())
        yield (c.title, c.organizer.name, c.get_kind_display(), c.field_note, c.get_method_display(),
               "；".join(c.item_labels), units, c.starts_on, c.ends_on, c.materials_due_on,
               c.get_status_display(), c.bulletin.number if c.bulletin_id else "")


EXPORTERS = (
    Exporter(
        kind="inspections", title="监督检查台账", capability="inspection.view",
        headers=("检查名称", "组织单位", "检查类别", "检查领域或案件", "检查方式", "检查内容", "被检查单位",
                 "开始日期", "结束日期", "材料报送期限", "状态", "问题通报文号"),
        queryset=lambda user, params: filtered(CheckFilterForm, params, lambda f: selectors.check_list(
            user, f).select_related("bulletin").prefetch_related("unit_rows__unit")),
        rows=_check_rows),
    Exporter(
        kind="case_reviews", title="案卷评查台账", capability="inspection.plan",
        headers=("案卷评查", "监督检查", "被评查单位", "随机种子", "抽取案卷", "合格", "平均得分", "状态"),
        queryset=lambda user, params: filtered(ReviewFilterForm, params,
                                               lambda f: selectors.review_list(user, f)),
        rows=lambda user, reviews: ((str(r), r.check_record.title, r.department.name, str(r.seed),
                                     r.file_count, r.passed_count,
                                     None if r.mean_score is None else round(r.mean_score, 1),
                                     r.get_status_display()) for r in reviews)),
    Exporter(
        kind="inspection_leads", title="大数据监测线索", capability="inspection.leads",
        headers=("事项", "监测规则", "涉及单位", "发现日期", "状态", "排除理由"),
        queryset=lambda user, params: filtered(LeadFilterForm, params,
                                               lambda f: selectors.lead_list(user, f)),
        rows=lambda user, leads: ((lead.subject, rule_label(lead.rule), lead.organization.name,
                                   lead.observed_on, lead.get_status_display(), lead.dismiss_reason)
                                  for lead in leads)),
)
