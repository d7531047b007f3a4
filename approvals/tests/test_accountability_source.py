"""M14.4 non-cooperation as an accountability source (M8.1): a decision not claimed or not
fed back in time, and a department's part of an agreed matter not carried out, are pursued
by the department concerned; the decision's page and the matter's page link back to the
proceeding (approvals/hooks.py)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from accountability import sources
from accountability.models import Ground
from accountability.services import proceeding_open
from approvals import services
from approvals.models import Result
from core.models import Role
from core.testing import justice_bureau, member
from deadlines.sweep import sweep
from evidence.tests.factories import PNG
from meetings import services as meeting_services
from meetings.models import Assignment, BodyKind, JointBody, MeetingKind, Topic

from .conftest import decision_data

pytestmark = pytest.mark.django_db


def _agreed_matter(district):
    admin = member(Role.SYSTEM_ADMIN, justice_bureau())
    body = meeting_services.joint_body_save(actor=admin, body=JointBody(kind=BodyKind.APPROVAL,
                                                                        convener=district.approval),
                                            members=[district.market, district.health])
    meeting = meeting_services.meeting_create(actor=district.approver, body=body, kind=MeetingKind.REGULAR,
                                              title="审管联席会议", place="审批局会议室",
                                              starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting_services.agenda_add(actor=district.approver, meeting=meeting, topic=Topic.LINKAGE, title="联动")
    meeting_services.meeting_record_held(
        actor=district.approver, meeting=meeting, held_at=timezone.now() - dt.timedelta(hours=2),
        attended=[district.market], summary="", minutes=io.BytesIO(PNG), minutes_name="纪要.png",
        minutes_size=len(PNG))
    return meeting_services.resolution_create(actor=district.approver, meeting=meeting, title="建立审批信息推送台账",
                                              content="按月核对。", due_on=timezone.localdate(),
                                              departments=[district.market])


def _open(actor, agency, key, source, officers):
    return proceeding_open(actor=actor, agency=agency, subject="审批监管不配合", officers=officers,
                           ground=Ground.NOT_PERFORMED, facts="未按规定认领并反馈事中事后监管情况。",
                           source_kind=key, source_id=source.pk)


def test_m14_4_m8_1_non_cooperation_rows_are_pursued_by_the_department_and_linked_back(client, district):
    district.route()
    late_claim, late_feedback, fine = district.receive(
        decision_data(1), decision_data(2), decision_data(3)).decisions()
    services.decision_claim(actor=district.market_officer, decision=late_feedback)
    services.decision_claim(actor=district.market_officer, decision=fine)
    services.supervision_record(actor=district.market_officer, decision=fine, inspected_on=timezone.localdate(),
                                inspection="现场检查", result=Result.COMPLIANT)
    resolution = _agreed_matter(district)
    legal = member(Role.LEGAL_OFFICER, district.market, username="scjfz", real_name="市监法制员")
    other_legal = member(Role.LEGAL_OFFICER, district.health, username="wjfz", real_name="卫健法制员")
    decisions = sources.kind_for("approval_non_cooperation")
    matters = sources.kind_for("approval_resolution_not_done")
    assert not decisions.candidates(legal).exists()  # nothing is late yet
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        sweep()
        assert set(decisions.candidates(legal)) == {late_claim, late_feedback}  # not the one fed back
        assert not decisions.candidates(other_legal).exists()  # another department's
        part = Assignment.objects.get(resolution=resolution, department=district.market)
        assert list(matters.candidates(legal)) == [part]
        # Claimed but not fed back: whoever claimed it is the officer suggested.
        assert list(decisions.officers(late_feedback)) == [district.market_officer]
        assert district.market_officer in decisions.officers(late_claim)
        p = _open(legal, district.market, "approval_non_cooperation", late_feedback, [district.market_officer])
        assert late_feedback.number in p.source_text and "逾期未反馈事中事后监管情况" in p.source_text
        assert sources.source_url(p) == late_feedback.get_absolute_url()
        q = _open(legal, district.market, "approval_resolution_not_done", part, [district.market_officer])
        assert "建立审批信息推送台账" in q.source_text
        # The justice bureau, which supervises, finds each proceeding from the record's page.
        client.force_login(district.supervisor)
        page = client.get(late_feedback.get_absolute_url()).content.decode()
        assert 'id="source-proceedings"' in page and p.get_absolute_url() in page
        page = client.get(resolution.get_absolute_url()).content.decode()
        assert q.get_absolute_url() in page
        assert p.get_absolute_url() not in client.get(late_claim.get_absolute_url()).content.decode()
