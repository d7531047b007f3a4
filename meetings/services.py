"""Every write of the joint meetings: the bodies (administration), liaisons (M1.4, M14.3),
temporary-meeting proposals (M1.2), meetings with their agenda, notice, attendance and
minutes (M1.2–M1.3), and agreed matters with each department's report (M1.5)."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record, diff, snapshot
from core.models import Membership, Organization, User
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import notification_send
from deadlines.services import deadline_cancel, deadline_open
from deadlines.selectors import deadlines_for

from .models import (BODY_TOPICS, AgendaItem, Assignment, AssignmentStatus, JointBody, Liaison,
                     Meeting, MeetingKind, MeetingProposal, MeetingStatus, ProposalStatus,
                     Resolution)
from .selectors import FEEDBACK_RULE, member_units_for
from .workflow import ASSIGNMENT_WORKFLOW, MEETING_WORKFLOW, PROPOSAL_WORKFLOW


# --- who may do what (the pages ask the same predicates before showing a form) ---------
@policy.predicate("召集该联席会议")
def may_convene(user, body: JointBody) -> bool:
    return policy.has_capability(user, "meeting.convene", body.convener)


@policy.predicate("修改该会议的议题")
def may_edit_agenda(user, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.PREPARING and may_convene(user, meeting.body)


@policy.predicate("登记该会议的召开情况")
def may_record_held(user, meeting: Meeting) -> bool:
    """After the notice; or, for a meeting held before it was entered (its time is past),
    straight from preparation."""
    if meeting.status == MeetingStatus.PREPARING:
        return meeting.starts_at <= timezone.now() and may_convene(user, meeting.body)
    return meeting.status == MeetingStatus.NOTIFIED and may_convene(user, meeting.body)


@policy.predicate("为该会议登记议定事项")
def may_assign(user, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.HELD and may_convene(user, meeting.body)


def _acts_for_member(user, body: JointBody, unit: Organization | None, capability: str) -> bool:
    """Whether ``user`` holds ``capability`` for ``unit``, a member unit of ``body`` — or,
    without ``unit``, for any member unit (whether the page offers the form at all)."""
    units = member_units_for(user, body, capability)
    return (units if unit is None else units.filter(pk=unit.pk)).exists()


@policy.predicate("以该单位名义提议召开临时会议")
def may_propose(user, body: JointBody, unit: Organization | None = None) -> bool:
    """A member unit proposes a temporary meeting (M1.2 经一方提议)."""
    return _acts_for_member(user, body, unit, "meeting.propose")


@policy.predicate("确定该单位的联络员")
def may_name_liaison(user, body: JointBody, unit: Organization | None = None) -> bool:
    return _acts_for_member(user, body, unit, "meeting.liaison")


@policy.predicate("反馈该议定事项的落实情况")
def may_report(user, assignment: Assignment) -> bool:
    return (assignment.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.RETURNED)
            and policy.has_capability(user, "meeting.report", assignment.department))


# --- bodies ----------------------------------------------------------------------------
def joint_body_save(*, actor, body: JointBody, members: Iterable[Organization]) -> JointBody:
    """Create or change a joint-meeting body and its member units (the administrator's
    setting up of M1.1 / M14.1; the admin and the demo call this)."""
    policy.require(actor, "admin.manage")
    members = list(members)
    if body.convener_id in {m.pk for m in members}:
        raise ValidationError({"members": "召集单位不必列为成员单位。"})
    before = {}
    if body.pk:
        stored = JointBody.objects.get(pk=body.pk)
        before = {"convener": str(stored.convener),
                  "members": sorted(str(m) for m in stored.members.all())}
    body.full_clean(validate_unique=not body.pk)
    with transaction.atomic():
        body.save()
        body.members.set(members)
        after = {"convener": str(body.convener), "members": sorted(str(m) for m in members)}
        audit_record(actor=actor, verb="meetings.body.save", target=body,
                     organization=body.convener, changes=diff(before, after))
    return body


# --- liaisons (M1.4, M14.3) ------------------------------------------------------------
def liaison_name(*, actor, body: JointBody, unit: Organization, person: User, post: str,
                 phone: str = "") -> Liaison:
    """Name (or change) ``unit``'s liaison for ``body``; the convener is told."""
    may_name_liaison.require(actor, body, unit)
    if not Membership.objects.filter(user=person, organization=unit, user__is_active=True).exists():
        raise ValidationError({"person": f"联络员须是{unit.name}的工作人员。"})
    if not post.strip():
        raise ValidationError({"post": "请填写联络员的职务。"})
    with transaction.atomic():
        liaison = Liaison.objects.select_for_update().filter(body=body, unit=unit).first()
        before = {} if liaison is None else snapshot(liaison, ["person", "post", "phone"])
        if liaison is None:
            liaison = Liaison(body=body, unit=unit)
        liaison.person, liaison.post, liaison.phone = person, post.strip(), phone.strip()
        liaison.named_by, liaison.named_at = actor, timezone.now()
        liaison.save()
        audit_record(actor=actor, verb="meetings.liaison.name", target=liaison, organization=unit,
                     changes=diff(before, snapshot(liaison, ["person", "post", "phone"])))
        what = "变更" if before else "确定"
        notification_send(recipients=[body.convener], subject=f"{unit.name}{what}了联络员",
                          body=f"{body}联络员：{person}（{liaison.post}）。", target=liaison,
                          actor=actor)
    return liaison


# --- proposals (M1.2) ------------------------------------------------------------------
def proposal_submit(*, actor, body: JointBody, proposer: Organization, subject: str,
                    reason: str) -> MeetingProposal:
    """A member unit proposes a temporary meeting with its reason; the convener is told."""
    may_propose.require(actor, body, proposer)
    if not reason.strip():
        raise ValidationError({"reason": "请说明需要召开临时会议的特殊情况。"})
    proposal = MeetingProposal(body=body, proposer=proposer, subject=subject.strip(),
                               reason=reason.strip(), created_by=actor)
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        audit_record(actor=actor, verb="meetings.proposal.submit", target=proposal,
                     organization=proposer, note=proposal.reason)
        notification_send(recipients=[body.convener], subject=f"临时会议提议：{proposal.subject}",
                          body=f"{proposer.name}提议召开{body}临时会议。", target=proposal,
                          actor=actor)
    return proposal


def proposal_accept(*, actor, proposal: MeetingProposal, starts_at: dt.datetime,
                    place: str) -> Meeting:
    """The convener agrees and sets the temporary meeting up (its agenda starts with the
    proposed subject's place in it left to the convener)."""
    with transaction.atomic():
        meeting = _meeting_new(actor=actor, body=proposal.body, kind=MeetingKind.TEMPORARY,
                               title=f"{proposal.body}临时会议（{proposal.subject}）"[:200],
                               starts_at=starts_at, place=place, proposal=proposal)
        transition_apply(workflow=PROPOSAL_WORKFLOW, obj=proposal, target=ProposalStatus.ACCEPTED,
                         actor=actor)
        notification_send(recipients=[proposal.proposer], subject=f"临时会议提议已同意：{proposal.subject}",
                          body=f"会议定于{formats.moment_text(meeting.starts_at)}召开。", target=meeting,
                          actor=actor)
    return meeting


def proposal_decline(*, actor, proposal: MeetingProposal, reason: str) -> MeetingProposal:
    with transaction.atomic():
        transition_apply(workflow=PROPOSAL_WORKFLOW, obj=proposal, target=ProposalStatus.DECLINED,
                         actor=actor, note=reason, updates={"decline_reason": reason.strip()})
        notification_send(recipients=[proposal.proposer], subject=f"临时会议提议不予召开：{proposal.subject}",
                          body=reason.strip(), target=proposal, actor=actor)
    return proposal


# --- meetings (M1.2, M1.3) -------------------------------------------------------------
def _meeting_new(*, actor, body: JointBody, kind: str, title: str, starts_at: dt.datetime,
                 place: str, proposal: MeetingProposal | None = None) -> Meeting:
    may_convene.require(actor, body)
    meeting = Meeting(body=body, kind=kind, title=title.strip(), starts_at=starts_at,
                      place=place.strip(), proposal=proposal, created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, verb="meetings.meeting.create", target=meeting,
                 organization=body.convener,
                 changes=diff({}, snapshot(meeting, ["kind", "title", "starts_at", "place"])))
    return meeting


def meeting_create(*, actor, body: JointBody, kind: str, title: str, starts_at: dt.datetime,
                   place: str) -> Meeting:
    """The convener schedules a regular or temporary meeting (M1.2; M14.1 可以临时组织召开),
    or enters one already held (its notice then is not sent: it is recorded as held)."""
    with transaction.atomic():
        return _meeting_new(actor=actor, body=body, kind=kind, title=title, starts_at=starts_at,
                            place=place)


def agenda_add(*, actor, meeting: Meeting, topic: str, title: str) -> AgendaItem:
    """Add an agenda item of one of the body's topic kinds (M1.3, M14.1)."""
    may_edit_agenda.require(actor, meeting)
    if topic not in BODY_TOPICS[meeting.body.kind]:
        raise ValidationError({"topic": f"该议题类别不属于{meeting.body}的职责。"})
    item = AgendaItem(meeting=meeting, topic=topic, title=title.strip())
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit_record(actor=actor, verb="meetings.agenda.add", target=meeting,
                     organization=meeting.body.convener,
                     note=f"{item.get_topic_display()}：{item.title}")
    return item


def agenda_remove(*, actor, item: AgendaItem) -> None:
    meeting = item.meeting
    may_edit_agenda.require(actor, meeting)
    with transaction.atomic():
        audit_record(actor=actor, verb="meetings.agenda.remove", target=meeting,
                     organization=meeting.body.convener,
                     note=f"{item.get_topic_display()}：{item.title}")
        item.delete()


def meeting_transition(*, actor, meeting: Meeting, target: str, note: str = "") -> Meeting:
    """Send the notice (every member's inbox) or cancel; recording that it was held goes
    through ``meeting_record_held``."""
    if target == MeetingStatus.HELD:
        raise ValidationError("请通过“登记会议召开情况”填写出席单位并上传会议纪要。")
    updates = {"notified_at": timezone.now()} if target == MeetingStatus.NOTIFIED else {}
    return transition_apply(workflow=MEETING_WORKFLOW, obj=meeting, target=target, actor=actor,
                            note=note, updates=updates)


def meeting_record_held(*, actor, meeting: Meeting, held_at: dt.datetime,
                        attended: Iterable[Organization], summary: str, minutes: BinaryIO,
                        minutes_name: str, minutes_size: int) -> Meeting:
    """Record the meeting as held: when, which member units attended, the minutes. A
    regular meeting meets the convener's duty of its body (M1.2, M14.1)."""
    may_record_held.require(actor, meeting)
    attended = list(attended)
    members = set(meeting.body.members.values_list("pk", flat=True)) | {meeting.body.convener_id}
    if any(org.pk not in members for org in attended):
        raise ValidationError({"attended": "出席单位须是联席会议的召集单位或成员单位。"})
    if not attended:
        raise ValidationError({"attended": "请选择出席单位。"})
    if held_at > timezone.now():
        raise ValidationError({"held_at": "实际召开时间不能晚于现在。"})
    with transaction.atomic():
        file = attachment_store(actor=actor, organization=meeting.body.convener, fileobj=minutes,
                                name=minutes_name, size=minutes_size, target=meeting,
                                description="会议纪要")
        meeting.attended.set(attended)
        # The guards see the record as the move leaves it (the minutes, the time).
        meeting.minutes, meeting.held_at = file, held_at
        transition_apply(workflow=MEETING_WORKFLOW, obj=meeting, target=MeetingStatus.HELD,
                         actor=actor, updates={"held_at": held_at, "minutes": file,
                                               "summary": summary.strip()},
                         note=f"出席单位 {len(attended)} 个")
    return meeting


# --- agreed matters (M1.5) -------------------------------------------------------------
def resolution_create(*, actor, meeting: Meeting, title: str, content: str, due_on: dt.date,
                      departments: Iterable[Organization]) -> Resolution:
    """The office assigns an agreed matter to departments with a due date: each gets its
    feedback deadline, running from the meeting that agreed it, and an inbox message."""
    may_assign.require(actor, meeting)
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": "请选择责任单位。"})
    members = set(meeting.body.members.values_list("pk", flat=True))
    if any(d.pk not in members for d in departments):
        raise ValidationError({"departments": "责任单位须是联席会议成员单位。"})
    held_on = timezone.localdate(meeting.held_at)
    if due_on < held_on:
        raise ValidationError({"due_on": "反馈期限不能早于会议召开日期。"})
    resolution = Resolution(meeting=meeting, title=title.strip(), content=content.strip(),
                            due_on=due_on, created_by=actor)
    resolution.full_clean()
    with transaction.atomic():
        resolution.save()
        for department in departments:
            assignment = Assignment.objects.create(resolution=resolution, department=department)
            deadline_open(target=assignment, rule=FEEDBACK_RULE, responsible=department,
                          start=meeting.held_at, due=resolution.due, actor=actor)
        audit_record(actor=actor, verb="meetings.resolution.create", target=resolution,
                     organization=meeting.body.convener,
                     changes={"due_on": [None, due_on]},
                     note="责任单位：" + "、".join(d.name for d in departments))
        notification_send(recipients=departments, subject=f"议定事项交办：{resolution.title}",
                          body=f"请于{due_on:%Y年%m月%d日}前反馈落实情况。", target=resolution,
                          actor=actor)
    return resolution


def assignment_report(*, actor, assignment: Assignment, report: str,
                      files: Iterable[tuple[BinaryIO, str, int]] = ()) -> Assignment:
    """The department reports how it carried the matter out (text and attachments); the
    office is told. The deadline stays open until the office accepts."""
    may_report.require(actor, assignment)
    if not report.strip():
        raise ValidationError({"report": "请填写落实情况。"})
    convener = assignment.resolution.meeting.body.convener
    with transaction.atomic():
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=assignment.department, fileobj=fileobj,
                             name=name, size=size, target=assignment, description="落实情况材料")
        transition_apply(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                         target=AssignmentStatus.REPORTED, actor=actor,
                         updates={"report": report.strip(), "reported_by": actor,
                                  "reported_at": timezone.now()})
        notification_send(recipients=[convener], subject=f"落实情况反馈：{assignment}",
                          target=assignment.resolution, actor=actor)
    return assignment


def assignment_accept(*, actor, assignment: Assignment) -> Assignment:
    """The office accepts the report: its deadline is met; the matter closes when it was
    the last one (workflow effect)."""
    with transaction.atomic():
        transition_apply(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                         target=AssignmentStatus.ACCEPTED, actor=actor,
                         updates={"accepted_at": timezone.now()})
        notification_send(recipients=[assignment.department],
                          subject=f"落实情况已认可：{assignment.resolution}",
                          target=assignment.resolution, actor=actor)
    return assignment


def _live_deadline(user, assignment: Assignment) -> Deadline | None:
    return (deadlines_for(user, assignment).filter(
        rule=FEEDBACK_RULE, state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
        .order_by("-due").first())


def assignment_send_back(*, actor, assignment: Assignment, reason: str,
                         new_due_on: dt.date | None = None) -> Assignment:
    """The office sends the report back with its reason. The feedback deadline stays as
    it is, or — when the office sets a new due date — is replaced by one ending then."""
    if new_due_on is not None and new_due_on < timezone.localdate():
        raise ValidationError({"new_due_on": "新的反馈期限不能早于今天。"})
    with transaction.atomic():
        transition_apply(workflow=ASSIGNMENT_WORKFLOW, obj=assignment,
                         target=AssignmentStatus.RETURNED, actor=actor, note=reason,
                         updates={"return_reason": reason.strip(),
                                  "times_returned": assignment.times_returned + 1})
        due_text = ""
        if new_due_on is not None:
            current = _live_deadline(actor, assignment)
            if current is not None:
                deadline_cancel(deadline=current, actor=actor,
                                reason=f"退回重新落实，反馈期限改为{new_due_on:%Y年%m月%d日}")
            deadline_open(target=assignment, rule=FEEDBACK_RULE, responsible=assignment.department,
                          start=timezone.now(), due=end_of_day(new_due_on), actor=actor,
                          note="退回重新落实")
            due_text = f"请于{new_due_on:%Y年%m月%d日}前重新反馈。"
        notification_send(recipients=[assignment.department],
                          subject=f"落实情况被退回：{assignment.resolution}",
                          body=f"退回理由：{reason.strip()}{due_text}", target=assignment.resolution,
                          actor=actor)
    return assignment

