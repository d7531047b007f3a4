"""The procedures of a joint meeting: a proposal is accepted or declined by the convener
(M1.2); a meeting is prepared, notified and held (M1.2–M1.3); each department's part of an
agreed matter is reported, then accepted or sent back, and the matter closes when every
part is accepted (M1.5). Steps taken through a form of their own (accepting a proposal,
recording that a meeting was held, reporting) are services that call these tables."""
from __future__ import annotations

from django.utils import timezone

from core import formats
from core.workflow import Meets, Transition, Workflow, transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadline_meet

from .models import AssignmentStatus as A
from .models import Meeting, MeetingKind
from .models import MeetingStatus as M
from .models import ProposalStatus as P
from .models import ResolutionStatus as R


def _convener(obj):
    return obj.body.convener


def _has_agenda(meeting: Meeting) -> list[str]:
    return [] if meeting.agenda.exists() else ["请先列出会议议题。"]


def _not_past(meeting: Meeting) -> list[str]:
    return [] if meeting.starts_at > timezone.now() else ["召开时间已过，请先修改召开时间。"]


def _minutes_recorded(meeting: Meeting) -> list[str]:
    reasons = []
    if meeting.minutes_id is None:
        reasons.append("请上传会议纪要。")
    if meeting.held_at is None:
        reasons.append("请填写实际召开时间。")
    return reasons


def _members(meeting: Meeting) -> list:
    return [*meeting.body.members.filter(is_active=True), meeting.body.convener]


def _notify_members(*, obj: Meeting, actor, transition, source) -> None:
    # M1.2: the notice reaches every member unit's inbox.
    when = formats.moment_text(obj.starts_at)
    notification_send(recipients=_members(obj), subject=f"会议通知：{obj.title}",
                      body=f"{obj.body}定于{when}在{obj.place}召开{obj.get_kind_display()}，请准时出席。",
                      target=obj, actor=actor)


def _tell_members_cancelled(*, obj: Meeting, actor, transition, source) -> None:
    if source == M.NOTIFIED:  # only those who were told it would take place
        notification_send(recipients=_members(obj), subject=f"会议取消：{obj.title}",
                          body=f"原定于{formats.moment_text(obj.starts_at)}召开的会议取消。",
                          target=obj, actor=actor)


def _meet_regular_duty(*, obj: Meeting, actor, transition, source) -> None:
    # M1.2, M14.1: a regular meeting held meets the convener's recurring duty of its body
    # (the rule depends on the body, so it cannot be a fixed Meets on the transition).
    if obj.kind == MeetingKind.REGULAR:
        deadline_meet(target=obj.body.convener, rule=obj.body.regular_rule, actor=actor,
                      at=obj.held_at)


PROPOSAL_WORKFLOW = Workflow(
    owner=_convener,
    transitions=[
        # Accepting sets the meeting up (date and place): meetings.services.proposal_accept.
        Transition((P.PROPOSED,), P.ACCEPTED, "meeting.convene", "同意召开临时会议",
                   done="已同意召开临时会议。"),
        Transition((P.PROPOSED,), P.DECLINED, "meeting.convene", "不予召开", needs_note=True,
                   secondary=True, done="已答复不予召开。"),
    ],
)

MEETING_WORKFLOW = Workflow(
    owner=_convener,
    transitions=[
        Transition((M.PREPARING,), M.NOTIFIED, "meeting.convene", "发出会议通知",
                   guards=(_has_agenda, _not_past), effects=(_notify_members,),
                   done="会议通知已发送至各成员单位。"),
        # Recording the meeting (attendance, minutes): meetings.services.meeting_record_held
        # — after its notice, or straight from preparation for a meeting already held
        # before it was entered here (the ledger of a year begun on paper).
        Transition((M.PREPARING, M.NOTIFIED), M.HELD, "meeting.convene", "登记会议召开情况",
                   guards=(_minutes_recorded,), effects=(_meet_regular_duty,),
                   done="已登记会议召开情况。"),
        Transition((M.PREPARING, M.NOTIFIED), M.CANCELLED, "meeting.convene", "取消会议",
                   needs_note=True, secondary=True, effects=(_tell_members_cancelled,),
                   done="会议已取消。"),
    ],
)


def _all_accepted(resolution) -> list[str]:
    waiting = resolution.assignments.exclude(status=A.ACCEPTED).count()
    return [] if not waiting else [f"尚有 {waiting} 个责任单位的落实情况未认可。"]


RESOLUTION_WORKFLOW = Workflow(
    owner=lambda resolution: resolution.meeting.body.convener,
    transitions=[
        Transition((R.OPEN,), R.CLOSED, "meeting.convene", "办结", guards=(_all_accepted,),
                   done="议定事项已办结。"),
    ],
)


def _close_when_all_accepted(*, obj, actor, transition, source) -> None:
    # M1.5: the matter is resolved when every department's report has been accepted.
    resolution = obj.resolution
    if not _all_accepted(resolution):
        transition_apply(workflow=RESOLUTION_WORKFLOW, obj=resolution, target=R.CLOSED,
                         actor=actor, updates={"closed_at": timezone.now()})


ASSIGNMENT_WORKFLOW = Workflow(
    owner=lambda assignment: assignment.department,
    transitions=[
        # Reporting carries the text and files: meetings.services.assignment_report.
        Transition((A.ASSIGNED, A.RETURNED), A.REPORTED, "meeting.report", "反馈落实情况",
                   done="落实情况已反馈。"),
        Transition((A.REPORTED,), A.ACCEPTED, "meeting.convene", "认可落实情况",
                   org=lambda a: a.resolution.meeting.body.convener,
                   meets=(Meets("resolution_feedback"),), effects=(_close_when_all_accepted,),
                   done="已认可落实情况。"),
        # Sending back carries a reason and perhaps a new due date:
        # meetings.services.assignment_send_back.
        Transition((A.REPORTED,), A.RETURNED, "meeting.convene", "退回重新落实",
                   org=lambda a: a.resolution.meeting.body.convener, needs_note=True,
                   secondary=True, done="已退回，责任单位须重新反馈。"),
    ],
)
