"""The demo district's joint meetings (meetings/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from core import demo
from deadlines.models import Deadline, DeadlineState
from deadlines.sweep import sweep
from meetings.models import (AssignmentStatus, JointBody, Liaison, Meeting, MeetingKind,
                             MeetingProposal, MeetingStatus, ProposalStatus, Resolution,
                             ResolutionStatus)
from meetings.selectors import members_without_liaison, resolution_list

pytestmark = pytest.mark.django_db


def test_demo_has_a_held_annual_meeting_with_matters_in_three_states_and_a_proposal():
    demo.seed()
    demo.seed()  # idempotent
    assert JointBody.objects.count() == 2
    body = JointBody.objects.get(kind="coordination")
    # M1.1: the procuratorate, the staffing office and every enforcement department.
    kinds = set(body.members.values_list("kind", flat=True))
    assert kinds == {"procuratorate", "staffing_office", "department"}
    # M1.4: every member unit but one named its liaison.
    assert [o.name for o in members_without_liaison(body)] == ["北戴河区商务局"]
    assert Liaison.objects.filter(body=body).count() == body.members.count() - 1
    meeting = Meeting.objects.get()
    assert meeting.kind == MeetingKind.REGULAR and meeting.status == MeetingStatus.HELD
    assert meeting.agenda.count() == 3 and meeting.minutes is not None
    # M1.2: the office's annual duty is met by it.
    annual = Deadline.objects.get(rule="annual_joint_meeting", responsible=body.convener)
    assert annual.state == DeadlineState.MET
    sweep()  # what beat does within the minute
    by_title = {r.title: r for r in Resolution.objects.all()}
    closed = by_title["开展海滨路占道经营专项整治"]
    assert closed.status == ResolutionStatus.CLOSED
    assert closed.assignments.get().times_returned == 1
    reported = by_title["开展餐饮单位食品安全专项检查"].assignments.get()
    assert reported.status == AssignmentStatus.REPORTED
    overdue = by_title["报送建筑工地扬尘治理执法情况"]
    assert Deadline.objects.get(target_id=str(overdue.assignments.get().pk),
                                rule="resolution_feedback").state == DeadlineState.OVERDUE
    admin = body.convener.memberships.first().user
    assert list(resolution_list(admin, {"state": "overdue"})) == [overdue]
    assert MeetingProposal.objects.get().status == ProposalStatus.PROPOSED
