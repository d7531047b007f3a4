"""The joint meetings' lists as Excel (core.exports): the same filters and scope as the
list pages (core.pages.filtered: an unreadable filter exports no rows, as it lists none)."""
from __future__ import annotations

from core.exports import Exporter
from core.pages import filtered

from . import selectors
from .forms import LiaisonFilterForm, MeetingFilterForm, ProposalFilterForm, ResolutionFilterForm


def _resolution_rows(user, resolutions):
    for r in resolutions:
        parts = list(r.assignments.all())
        yield (r.title, r.meeting.title, str(r.meeting.body), r.content,
               "、".join(a.department.name for a in parts), r.due_on,
               "；".join(f"{a.department.name}：{a.get_status_display()}" for a in parts),
               sum(a.times_returned for a in parts), r.get_status_display(), r.closed_at)


EXPORTERS = (
    Exporter(
        kind="meetings", title="联席会议台账", capability="meeting.view",
        headers=("会议名称", "联席会议", "会议类别", "召开时间", "地点", "状态", "实际召开时间"),
        queryset=lambda user, params: filtered(MeetingFilterForm, params,
                                               lambda f: selectors.meeting_list(user, f)),
        rows=lambda user, meetings: ((m.title, str(m.body), m.get_kind_display(), m.starts_at,
                                      m.place, m.get_status_display(), m.held_at) for m in meetings)),
    Exporter(
        kind="meeting_resolutions", title="议定事项台账", capability="meeting.view",
        headers=("议定事项", "会议", "联席会议", "具体要求", "责任单位", "反馈期限", "各单位落实情况",
                 "退回次数", "状态", "办结时间"),
        queryset=lambda user, params: filtered(ResolutionFilterForm, params,
                                               lambda f: selectors.resolution_list(user, f)),
        rows=_resolution_rows),
    Exporter(
        kind="meeting_proposals", title="临时会议提议", capability="meeting.view",
        headers=("拟议事项", "联席会议", "提议单位", "提议理由", "提议时间", "状态", "不予召开的理由"),
        queryset=lambda user, params: filtered(ProposalFilterForm, params,
                                               lambda f: selectors.proposal_list(user, f)),
        rows=lambda user, proposals: ((p.subject, str(p.body), p.proposer.name, p.reason,
                                       p.created_at, p.get_status_display(), p.decline_reason)
                                      for p in proposals)),
    Exporter(
        kind="meeting_liaisons", title="联络员名册", capability="meeting.view",
        headers=("联席会议", "成员单位", "联络员", "职务", "联系电话", "确定时间"),
        queryset=lambda user, params: filtered(LiaisonFilterForm, params,
                                               lambda f: selectors.liaison_list(user, f)),
        rows=lambda user, liaisons: ((str(li.body), li.unit.name, str(li.person), li.post, li.phone,
                                      li.named_at) for li in liaisons)),
)
