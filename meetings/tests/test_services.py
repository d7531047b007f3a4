"""The joint-meeting services: each write checked, audited, and moving its deadlines."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Role
from core.testing import assert_audited, member
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.services import deadlines_open_recurring
from deadlines.sweep import sweep
from evidence.tests.factories import PNG
from meetings import services
from meetings.models import (AssignmentStatus, BodyKind, JointBody, Liaison, MeetingKind,
                             MeetingStatus, ProposalStatus, ResolutionStatus, Topic)

pytestmark = pytest.mark.django_db


def _inbox(org) -> list[str]:
    return list(Notification.objects.filter(organization=org).values_list("subject", flat=True))


def test_m1_1_joint_body_is_set_up_by_the_administrator_only(district):
    with assert_audited("meetings.body.save", district.body):
        services.joint_body_save(actor=district.admin, body=district.body,
                                 members=[district.market, district.urban])
    assert set(district.body.members.all()) == {district.market, district.urban}
    with pytest.raises(PermissionDenied):
        services.joint_body_save(actor=district.convener, body=district.body, members=[district.market])
    with pytest.raises(ValidationError, match="召集单位不必列为成员单位"):
        services.joint_body_save(actor=district.admin, body=district.body, members=[district.office])
    with pytest.raises(ValidationError):  # one record per body
        services.joint_body_save(actor=district.admin, body=JointBody(kind=BodyKind.COORDINATION,
                                                                      convener=district.office), members=[])


def test_m1_4_liaison_named_by_the_member_unit_and_the_convener_is_told(district):
    with assert_audited("meetings.liaison.name"):
        liaison = services.liaison_name(actor=district.market_liaison, body=district.body,
                                        unit=district.market, person=district.market_liaison,
                                        post="法制科科长", phone="0335-4041234")
    assert "区市场监督管理局确定了联络员" in _inbox(district.office)
    other = member(Role.OFFICER, district.market, real_name="新联络员")
    services.liaison_name(actor=district.market_liaison, body=district.body, unit=district.market,
                          person=other, post="综合科科长")
    assert Liaison.objects.get(pk=liaison.pk).person == other  # still one per unit
    assert "区市场监督管理局变更了联络员" in _inbox(district.office)


def test_m1_4_liaison_must_be_of_the_unit_and_named_by_it(district):
    with pytest.raises(ValidationError, match="联络员须是区市场监督管理局的工作人员"):
        services.liaison_name(actor=district.market_liaison, body=district.body, unit=district.market,
                              person=district.urban_head, post="科长")
    with pytest.raises(PermissionDenied):  # not the unit's own
        services.liaison_name(actor=district.urban_head, body=district.body, unit=district.market,
                              person=district.market_liaison, post="科长")
    outsider = member(Role.DEPARTMENT_HEAD, real_name="非成员单位负责人")
    unit = outsider.memberships.get().organization
    with pytest.raises(PermissionDenied):  # not a member unit of the body
        services.liaison_name(actor=outsider, body=district.body, unit=unit, person=outsider, post="科长")


def test_m14_3_missing_liaisons_are_listed_per_body(district):
    from meetings.selectors import members_without_liaison

    services.liaison_name(actor=district.market_liaison, body=district.linkage, unit=district.market,
                          person=district.market_liaison, post="审批监管联动专员")
    assert list(members_without_liaison(district.linkage)) == [district.housing]
    assert district.market in members_without_liaison(district.body)


def test_m1_2_a_member_proposes_a_temporary_meeting_and_the_convener_accepts(district):
    with assert_audited("meetings.proposal.submit"):
        proposal = services.proposal_submit(actor=district.urban_head, body=district.body,
                                            proposer=district.urban, subject="旅游旺季联合执法",
                                            reason="旺季临近，需多部门协调。")
    assert "临时会议提议：旅游旺季联合执法" in _inbox(district.office)
    starts = timezone.now() + dt.timedelta(days=2)
    with assert_audited("meetings.meetingproposal.transition", proposal), \
            assert_audited("meetings.meeting.create"):
        meeting = services.proposal_accept(actor=district.convener, proposal=proposal,
                                           starts_at=starts, place="第二会议室")
    assert meeting.kind == MeetingKind.TEMPORARY and meeting.proposal == proposal
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert any(s.startswith("临时会议提议已同意") for s in _inbox(district.urban))


def test_m1_2_a_proposal_is_declined_with_a_reason_and_only_by_the_convener(district):
    proposal = services.proposal_submit(actor=district.urban_head, body=district.body,
                                        proposer=district.urban, subject="专项检查", reason="情况特殊。")
    with pytest.raises(PermissionDenied):
        services.proposal_decline(actor=district.urban_head, proposal=proposal, reason="不必")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.proposal_decline(actor=district.convener, proposal=proposal, reason="  ")
    with assert_audited("meetings.meetingproposal.transition", proposal):
        services.proposal_decline(actor=district.convener, proposal=proposal,
                                  reason="已列入年度例会议题。")
    assert proposal.status == ProposalStatus.DECLINED and proposal.decline_reason == "已列入年度例会议题。"
    with pytest.raises(PermissionDenied):  # a unit outside the body cannot propose
        outsider = member(Role.DEPARTMENT_HEAD)
        services.proposal_submit(actor=outsider, body=district.body,
                                 proposer=outsider.memberships.get().organization, subject="x", reason="y")
    with pytest.raises(ValidationError, match="特殊情况"):
        services.proposal_submit(actor=district.urban_head, body=district.body, proposer=district.urban,
                                 subject="专项检查", reason=" ")


def test_m1_3_agenda_items_are_of_the_bodys_topic_kinds(district):
    meeting = district.meeting()
    with assert_audited("meetings.meeting.create"):
        services.meeting_create(actor=district.convener, body=district.body, kind=MeetingKind.TEMPORARY,
                                title="临时会议", starts_at=timezone.now() + dt.timedelta(days=1), place="会议室")
    with assert_audited("meetings.agenda.add", meeting):
        item = services.agenda_add(actor=district.convener, meeting=meeting, topic=Topic.INSPECTION,
                                   title="部署专项检查")
    with pytest.raises(ValidationError, match="不属于行政执法协调监督联席会议的职责"):
        services.agenda_add(actor=district.convener, meeting=meeting, topic=Topic.REFORM, title="审批改革")
    with pytest.raises(PermissionDenied):
        services.agenda_add(actor=district.approver, meeting=meeting, topic=Topic.RULES, title="制度")
    with assert_audited("meetings.agenda.remove", meeting):
        services.agenda_remove(actor=district.convener, item=item)
    assert not meeting.agenda.exists()


def test_m1_2_the_notice_reaches_every_member_units_inbox(district):
    meeting = district.meeting()
    with pytest.raises(ValidationError, match="请先列出会议议题"):
        services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.NOTIFIED)
    services.agenda_add(actor=district.convener, meeting=meeting, topic=Topic.PRIORITIES, title="工作重点")
    prosecutor = member(Role.PROSECUTOR, district.procuratorate)
    with assert_audited("meetings.meeting.transition", meeting), assert_audited("notification.send", meeting):
        services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.NOTIFIED)
    told = set(Notification.objects.filter(subject="会议通知：年度联席会议").values_list("recipient", flat=True))
    assert told == {u.pk for u in (district.market_liaison, district.urban_head, district.housing_head,
                                   prosecutor, district.convener)}
    with pytest.raises(ValidationError, match="登记会议召开情况"):
        services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.HELD)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.CANCELLED)
    services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.CANCELLED,
                                note="与全区大会时间冲突。")
    assert Notification.objects.filter(recipient=district.urban_head, subject="会议取消：年度联席会议").exists()


def test_m1_2_a_regular_meeting_held_meets_the_conveners_annual_duty(district):
    """M1.2 (at least once a year) and M14.1 (at least once a quarter): the recurring duty
    of the convener is met by its body's regular meeting, not by a temporary one."""
    deadlines_open_recurring()
    annual = Deadline.objects.get(rule="annual_joint_meeting", responsible=district.office)
    quarterly = Deadline.objects.get(rule="approval_linkage_meeting", responsible=district.approval)
    district.held(kind=MeetingKind.TEMPORARY)
    annual.refresh_from_db()
    assert annual.state == DeadlineState.OPEN
    with assert_audited("meetings.meeting.transition"), assert_audited("deadline.meet", annual):
        meeting = district.held()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes.original_name == "会议纪要.png"
    assert set(meeting.attended.all()) == {district.market, district.urban}
    annual.refresh_from_db()
    assert annual.state == DeadlineState.MET
    quarterly.refresh_from_db()
    assert quarterly.state == DeadlineState.OPEN
    district.held(body=district.linkage)
    quarterly.refresh_from_db()
    assert quarterly.state == DeadlineState.MET


def test_recording_a_meeting_needs_minutes_attendance_and_a_past_time(district):
    meeting = district.meeting()  # in three days, not notified
    args = dict(actor=district.convener, meeting=meeting, summary="", minutes=io.BytesIO(PNG),
                minutes_name="纪要.png", minutes_size=len(PNG))
    with pytest.raises(PermissionDenied):  # neither notified nor past
        services.meeting_record_held(held_at=timezone.now(), attended=[district.market], **args)
    services.agenda_add(actor=district.convener, meeting=meeting, topic=Topic.RULES, title="制度建设")
    services.meeting_transition(actor=district.convener, meeting=meeting, target=MeetingStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="请选择出席单位"):
        services.meeting_record_held(held_at=timezone.now(), attended=[], **args)
    with pytest.raises(ValidationError, match="不能晚于现在"):
        services.meeting_record_held(held_at=timezone.now() + dt.timedelta(days=1),
                                     attended=[district.market], **args)
    with pytest.raises(ValidationError, match="召集单位或成员单位"):
        services.meeting_record_held(held_at=timezone.now(), attended=[district.approval], **args)
    with pytest.raises(PermissionDenied):
        services.meeting_record_held(**{**args, "actor": district.urban_head}, held_at=timezone.now(),
                                     attended=[district.market])
    with assert_audited("meetings.meeting.transition", meeting), assert_audited("attachment.upload"):
        services.meeting_record_held(held_at=timezone.now(), attended=[district.market], **args)
    assert meeting.status == MeetingStatus.HELD and meeting.summary == ""


def test_m1_5_matter_assigned_opens_a_feedback_deadline_per_department(district):
    meeting = district.held()
    with assert_audited("meetings.resolution.create"), assert_audited("deadline.open"):
        resolution = services.resolution_create(
            actor=district.convener, meeting=meeting, title="开展占道经营专项整治", content="开展整治并反馈。",
            due_on=timezone.localdate() + dt.timedelta(days=10), departments=[district.urban, district.market])
    deadlines = Deadline.objects.filter(rule="resolution_feedback").order_by("responsible__name")
    assert [d.responsible for d in deadlines] == [district.urban, district.market]
    assert all(d.due == timezone.make_aware(dt.datetime.combine(resolution.due_on + dt.timedelta(days=1),
                                                                dt.time.min)) for d in deadlines)
    assert any(s.startswith("议定事项交办") for s in _inbox(district.urban))
    with pytest.raises(ValidationError, match="责任单位须是联席会议成员单位"):
        district.resolution(meeting, departments=[district.approval])
    with pytest.raises(ValidationError, match="不能早于会议召开日期"):
        district.resolution(meeting, due_on=timezone.localdate() - dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):  # not yet held
        services.resolution_create(actor=district.convener, meeting=district.meeting(), title="x",
                                   content="y", due_on=timezone.localdate(), departments=[district.urban])


def test_m1_5_report_sent_back_then_accepted_closes_the_matter(district):
    resolution = district.resolution(departments=[district.urban, district.market])
    urban, market = (resolution.assignments.get(department=district.urban),
                     resolution.assignments.get(department=district.market))
    with pytest.raises(PermissionDenied):  # only the department itself reports
        services.assignment_report(actor=district.market_liaison, assignment=urban, report="已办")
    with pytest.raises(ValidationError, match="请填写落实情况"):
        services.assignment_report(actor=district.urban_head, assignment=urban, report=" ")
    with assert_audited("meetings.assignment.transition", urban), assert_audited("attachment.upload"):
        services.assignment_report(actor=district.urban_head, assignment=urban, report="已巡查。",
                                   files=[(io.BytesIO(PNG), "台账.png", len(PNG))])
    assert any(s.startswith("落实情况反馈") for s in _inbox(district.office))
    with pytest.raises(PermissionDenied):  # the department cannot accept its own report
        services.assignment_accept(actor=district.urban_head, assignment=urban)
    with assert_audited("meetings.assignment.transition", urban):
        services.assignment_send_back(actor=district.convener, assignment=urban, reason="未附台账。")
    urban.refresh_from_db()
    assert urban.status == AssignmentStatus.RETURNED and urban.times_returned == 1
    deadline = Deadline.objects.get(target_id=str(urban.pk), rule="resolution_feedback")
    assert deadline.state == DeadlineState.OPEN  # the deadline stays open
    services.assignment_report(actor=district.urban_head, assignment=urban, report="已巡查，台账附后。")
    with assert_audited("meetings.assignment.transition", urban), assert_audited("deadline.meet", deadline):
        services.assignment_accept(actor=district.convener, assignment=urban)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.OPEN  # the market's part is not accepted yet
    services.assignment_report(actor=district.market_liaison, assignment=market, report="已检查。")
    with assert_audited("meetings.resolution.transition", resolution):
        services.assignment_accept(actor=district.convener, assignment=market)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.CLOSED and resolution.closed_at is not None


def test_m1_5_sending_back_with_a_new_due_date_replaces_the_deadline(district):
    resolution = district.resolution(departments=[district.urban])
    part = resolution.assignments.get()
    services.assignment_report(actor=district.urban_head, assignment=part, report="已办。")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.assignment_send_back(actor=district.convener, assignment=part, reason="")
    new_due = timezone.localdate() + dt.timedelta(days=30)
    services.assignment_send_back(actor=district.convener, assignment=part, reason="材料不全。",
                                  new_due_on=new_due)
    states = dict(Deadline.objects.filter(target_id=str(part.pk)).values_list("state", "due"))
    assert DeadlineState.CANCELLED in states
    assert timezone.localdate(states[DeadlineState.OPEN]) == new_due + dt.timedelta(days=1)
    assert Notification.objects.filter(recipient=district.urban_head, subject__startswith="落实情况被退回",
                                       body__contains="材料不全。").exists()


def test_m1_5_a_report_not_made_by_the_due_date_turns_overdue(district):
    resolution = district.resolution(departments=[district.housing])
    with time_machine.travel(timezone.now() + dt.timedelta(days=12)):
        sweep()
    deadline = Deadline.objects.get(target_id=str(resolution.assignments.get().pk))
    assert deadline.state == DeadlineState.OVERDUE
    from meetings.selectors import resolution_list

    assert list(resolution_list(district.convener, {"state": "overdue"})) == [resolution]
    assert list(resolution_list(district.convener, {"state": "returned"})) == []


def test_m1_2_m14_1_the_meeting_duties_are_in_force_as_every_duty_now_is():
    """Issue 15 item 12: the joint meetings can meet their conveners' duties, so the app
    switches them on; now that every mechanism is built, no duty of the plan is off."""
    from deadlines import recurring

    assert {"annual_joint_meeting", "approval_linkage_meeting"} <= set(recurring.in_force())
    assert recurring.not_in_force() == []
