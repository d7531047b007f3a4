"""Information sharing's lists as Excel (core.exports): the same filters and scope as the
list pages (core.pages.filtered: an unreadable filter exports no rows, as it lists none).
The district statistics table ends with its totals row (M5.4)."""
from __future__ import annotations

from core import policy
from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import ChannelFilterForm, InspectionFilterForm, QueryFilterForm, ReportFilterForm, RequestFilterForm
from .models import StatCategory, StatisticsRequest


def _reports(user, params):
    request = policy.visible_to(user, StatisticsRequest).filter(pk=params.get("request") or 0).first()
    if request is None or not str(params.get("request", "")).isdigit():
        return selectors.reports_of(user, StatisticsRequest()).none()
    return filtered(ReportFilterForm, params, lambda f: selectors.report_list(user, request, f))


def _report_rows(user, reports):
    totals = dict.fromkeys(StatCategory.values, 0)
    for r in reports:
        for c in StatCategory.values:
            totals[c] += getattr(r, c)
        yield (r.unit.name, r.get_status_display(), *(getattr(r, c) for c in StatCategory.values),
               *(r.prefill.get(c, 0) for c in StatCategory.values), r.note, r.submitted_at)
    yield ("合计", "", *totals.values(), *([""] * len(totals)), "", None)


EXPORTERS = (
    Exporter(
        kind="infosharing_channels", title="公示渠道", capability="infosharing.view",
        headers=("执法单位", "公示渠道", "网址", "应公示内容", "登记时间"),
        queryset=lambda user, params: filtered(ChannelFilterForm, params,
                                               lambda f: selectors.channel_list(user, f)),
        rows=lambda user, rows: ((c.unit.name, c.get_kind_display(), c.address, "、".join(c.items),
                                  c.updated_at) for c in rows)),
    Exporter(
        kind="infosharing_inspections", title="网上巡查", capability="infosharing.view",
        headers=("巡查季度", "巡查单位", "发现问题的单位", "状态", "审议会议", "审议日期", "审议意见",
                 "通报文号", "通报时间"),
        queryset=lambda user, params: filtered(InspectionFilterForm, params,
                                               lambda f: selectors.inspection_list(user, f)),
        rows=lambda user, rows: ((i.period_label, i.units, i.with_problems, i.get_status_display(),
                                  i.review_body, i.reviewed_on, i.review_remarks,
                                  i.bulletin.number if i.bulletin else "", i.circulated_at) for i in rows)),
    Exporter(
        kind="infosharing_requests", title="执法统计报送要求", capability="infosharing.view",
        headers=("统计事项", "统计期间自", "统计期间至", "报送期限", "报送单位", "已报送"),
        queryset=lambda user, params: filtered(RequestFilterForm, params,
                                               lambda f: selectors.request_list(user, f)),
        rows=lambda user, rows: ((r.title, r.period_start, r.period_end, r.due_on, r.asked, r.submitted)
                                 for r in rows)),
    Exporter(
        kind="infosharing_reports", title="全区执法统计表", capability="infosharing.view",
        headers=("报送单位", "状态", *StatCategory.labels,
                 *(f"平台统计数：{label}" for label in StatCategory.labels), "说明", "报送时间"),
        queryset=_reports, rows=_report_rows),
    Exporter(
        kind="infosharing_queries", title="执法信息查询", capability="infosharing.view",
        headers=("查询事项", "查询单位", "被查询单位", "查询用途", "查询时间", "状态", "答复内容",
                 "不予提供的理由", "法律依据", "答复时间"),
        queryset=lambda user, params: filtered(QueryFilterForm, params,
                                               lambda f: selectors.query_list(user, f)),
        rows=lambda user, rows: ((q.subject, q.requester.name, q.addressee.name, q.purpose, q.created_at,
                                  q.get_status_display(), q.answer, q.get_refusal_ground_display(),
                                  q.refusal_law, q.answered_at) for q in rows)),
)
