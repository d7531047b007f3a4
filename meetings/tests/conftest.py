"""A small district for the joint-meeting tests: the coordination office and the approval
bureau as conveners, three departments and the procuratorate as members, and a user per
role that acts."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member
from evidence.tests.factories import PNG
from meetings import services
from meetings.models import BodyKind, JointBody, Meeting, MeetingKind, Topic


@dataclass
class District:
    office: Organization
    approval: Organization
    market: Organization
    urban: Organization
    housing: Organization
    procuratorate: Organization
    body: JointBody
    linkage: JointBody
    convener: User
    approver: User
    admin: User
    market_liaison: User
    urban_head: User
    housing_head: User

    def meeting(self, *, kind=MeetingKind.REGULAR, starts_at=None, body=None) -> Meeting:
        return services.meeting_create(
            actor=self.convener if body is None else self.approver, body=body or self.body, kind=kind,
            title="年度联席会议", starts_at=starts_at or timezone.now() + dt.timedelta(days=3),
            place="区政府第一会议室")

    def held(self, **kwargs) -> Meeting:
        """A meeting recorded as held an hour ago (entered after the fact)."""
        meeting = self.meeting(starts_at=timezone.now() - dt.timedelta(hours=1), **kwargs)
        services.agenda_add(actor=meeting_actor(self, meeting), meeting=meeting,
                            topic=Topic.PRIORITIES if meeting.body == self.body else Topic.LINKAGE,
                            title="研究工作重点")
        services.meeting_record_held(
            actor=meeting_actor(self, meeting), meeting=meeting, held_at=timezone.now() - dt.timedelta(hours=1),
            attended=[self.market, self.urban if meeting.body == self.body else self.housing], summary="议定事项两项。", minutes=io.BytesIO(PNG),
            minutes_name="会议纪要.png", minutes_size=len(PNG))
        return meeting

    def resolution(self, meeting=None, departments=None, due_on=None):
        meeting = meeting or self.held()
        return services.resolution_create(
            actor=self.convener, meeting=meeting, title="开展占道经营专项整治",
            content="城管局牵头开展专项整治并反馈。", due_on=due_on or timezone.localdate() + dt.timedelta(days=10),
            departments=departments or [self.urban, self.market])


def meeting_actor(district: District, meeting: Meeting) -> User:
    return district.convener if meeting.body == district.body else district.approver


@pytest.fixture
def district(db) -> District:
    office = OrganizationFactory(name="执法协调小组办公室", short_name="北执协", kind=OrgKind.COORDINATION_OFFICE)
    approval = OrganizationFactory(name="区行政审批局", short_name="北审批", kind=OrgKind.APPROVAL_BUREAU)
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    housing = OrganizationFactory(name="区住房和城乡建设局", short_name="北住建")
    procuratorate = OrganizationFactory(name="区人民检察院", short_name="北检", kind=OrgKind.PROCURATORATE)
    admin = member(Role.SYSTEM_ADMIN, justice_bureau(), username="admin1")
    body = services.joint_body_save(actor=admin, body=JointBody(kind=BodyKind.COORDINATION, convener=office),
                                    members=[market, urban, housing, procuratorate])
    linkage = services.joint_body_save(actor=admin, body=JointBody(kind=BodyKind.APPROVAL, convener=approval),
                                       members=[market, housing])
    return District(
        office=office, approval=approval, market=market, urban=urban, housing=housing,
        procuratorate=procuratorate, body=body, linkage=linkage,
        convener=member(Role.COORDINATION_OFFICE, office, username="xtb1", real_name="协调办甲"),
        approver=member(Role.APPROVAL_STAFF, approval, username="spj1", real_name="审批员甲"),
        admin=admin,
        market_liaison=member(Role.LIAISON, market, username="lly1", real_name="市监联络员"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
        housing_head=member(Role.DEPARTMENT_HEAD, housing, username="zjfzr1", real_name="住建局长"),
    )
