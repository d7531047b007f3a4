"""The ledger, the channels and the assistance requests as Excel (core.exports), with the
lists' filters and scopes; the complainant's columns read （保密） for whoever the page
hides them from (举报人保密)."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import AssistanceFilterForm, ChannelFilterForm, ComplaintFilterForm
from .services import may_see_complainant

HIDDEN = "（保密）"


def _complaint_rows(user, complaints):
    for c in complaints:
        sees = may_see_complainant(user, c)
        who = ((c.complainant_name or ("匿名" if c.anonymous else "")), c.complainant_id_number,
               c.complainant_phone, c.complainant_address) if sees else (HIDDEN,) * 4
        yield (c.number, c.get_kind_display(), c.get_channel_display(), c.hotline_order, c.unit.name,
               c.received_at, *who, "是" if c.confidential else "否",
               c.subject_org.name if c.subject_org else "", c.subject_officer_name, c.matter,
               c.get_status_display(), c.accepted_at, c.reject_reason, c.result, c.concluded_at,
               c.get_answer_method_display(), c.answered_at, c.get_satisfaction_display())


EXPORTERS = (
    Exporter(
        kind="complaints", title="投诉举报登记办理台账", capability="complaint.view",
        headers=("台账编号", "类别", "来源渠道", "12345工单号", "办理单位", "收到时间", "投诉举报人",
                 "身份证件号码", "联系电话", "联系地址", "要求保密", "被投诉举报单位", "被投诉举报人员",
                 "投诉举报事项", "状态", "受理时间", "不予受理理由", "办理结果", "办结时间", "答复方式",
                 "答复时间", "满意度"),
        queryset=lambda user, params: filtered(ComplaintFilterForm, params,
                                               lambda f: selectors.complaint_list(user, f)),
        rows=_complaint_rows),
    Exporter(
        kind="complaint_channels", title="投诉举报渠道", capability="complaint.view",
        headers=("单位", "受理投诉举报的工作机构", "投诉举报电话", "投诉举报信箱", "电子邮箱",
                 "来访接待地址", "接待时间"),
        queryset=lambda user, params: filtered(ChannelFilterForm, params, selectors.channel_list),
        rows=lambda user, channels: ((c.organization.name, c.handling_office, c.phone, c.postal,
                                      c.email, c.address, c.hours) for c in channels)),
    Exporter(
        kind="complaint_assistance", title="协助请求", capability="assistance.handle",
        headers=("事项", "类别", "请求单位", "被请求单位", "请求内容", "答复期限", "状态", "答复",
                 "答复时间"),
        queryset=lambda user, params: filtered(AssistanceFilterForm, params,
                                               lambda f: selectors.assistance_list(user, f)),
        rows=lambda user, requests: ((a.subject, a.get_kind_display(), a.requester.name,
                                      a.addressee.name, a.content, a.reply_due,
                                      a.get_status_display(), a.reply, a.replied_at)
                                     for a in requests)),
)
