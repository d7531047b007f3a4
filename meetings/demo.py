"""The demo district's joint meetings (``manage.py seed_demo``), made through the services so
each record has its audit trail, notifications and deadlines:

- the two bodies (M1.1, M14.1) with their member units;
- liaisons for every member unit of the coordination joint meeting but 北戴河区商务局, which
  shows as missing on the body's page and the dashboard (M1.4), and for the approval one;
- this year's regular meeting, entered as held some weeks ago, which meets the office's
  annual duty (M1.2), with three agreed matters (M1.5): one closed after its report was
  sent back once, one reported and awaiting acceptance, one whose due date has passed
  without a report (the sweep marks it overdue within the minute);
- a temporary-meeting proposal of 北戴河区卫生健康局 waiting for the office (M1.2).

Runs after the core and deadlines seeders (``meetings`` follows them in INSTALLED_APPS);
does nothing once the bodies exist.
"""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from core import services as core_services
from core.demo import demo_password, register_seeder
from core.models import Organization, OrgKind, Role, User
from evidence.demo import SCAN_PNG

from . import services
from .models import BodyKind, JointBody, MeetingKind, Topic

WITHOUT_LIAISON = "北戴河区商务局"
# M14.1: the departments whose supervision follows the approval bureau's decisions.
SUPERVISING = ["北戴河区市场监督管理局", "北戴河区卫生健康局", "北戴河区应急管理局",
               "北戴河区住房和城乡建设局", "北戴河区文化广电和旅游局", "北戴河区交通运输局",
               "秦皇岛市生态环境局北戴河分局"]
# The liaison the demo district has already (core.demo); the others are made here.
EXISTING = {"北戴河区市场监督管理局": "scj_lly"}


def _liaison_user(admin: User, unit: Organization, n: int) -> User:
    username = EXISTING.get(unit.name) or f"lly{n:02d}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=f"{unit.short_name.removeprefix('北')}联络员")
        core_services.user_save(actor=admin, user=user, password=demo_password())
    core_services.membership_add(actor=admin, user=user, organization=unit, role=Role.LIAISON)
    return user


def _file(title: str) -> tuple[io.BytesIO, str, int]:
    return io.BytesIO(SCAN_PNG), f"{title}（扫描件）.png", len(SCAN_PNG)


@register_seeder
def seed_meetings() -> None:
    admin = User.objects.filter(username="admin").first()
    office = Organization.objects.filter(kind=OrgKind.COORDINATION_OFFICE).first()
    approval = Organization.objects.filter(kind=OrgKind.APPROVAL_BUREAU).first()
    convener = User.objects.filter(username="xtb").first()
    if None in (admin, office, approval, convener) or JointBody.objects.exists():
        return
    coordination_members = list(Organization.objects.filter(
        kind__in=[OrgKind.PROCURATORATE, OrgKind.STAFFING_OFFICE, OrgKind.DEPARTMENT],
        is_active=True).order_by("kind", "name"))
    body = services.joint_body_save(actor=admin, body=JointBody(kind=BodyKind.COORDINATION,
                                                                 convener=office),
                                    members=coordination_members)
    linkage = services.joint_body_save(
        actor=admin, body=JointBody(kind=BodyKind.APPROVAL, convener=approval),
        members=Organization.objects.filter(name__in=SUPERVISING))

    liaisons: dict[str, User] = {}
    for n, unit in enumerate(coordination_members, start=1):
        if unit.name == WITHOUT_LIAISON:
            continue
        person = _liaison_user(admin, unit, n)
        liaisons[unit.name] = person
        services.liaison_name(actor=person, body=body, unit=unit, person=person,
                              post="法制科科长" if unit.kind == OrgKind.DEPARTMENT else "办公室主任",
                              phone=f"0335-40{n:05d}")
        if unit.name in SUPERVISING:
            services.liaison_name(actor=person, body=linkage, unit=unit, person=person,
                                  post="审批监管联动专员", phone=f"0335-40{n:05d}")

    # This year's regular meeting, held before the platform recorded it.
    today = timezone.localdate()
    held_on = max(today - dt.timedelta(days=40), dt.date(today.year, 1, 5))
    held_at = timezone.make_aware(dt.datetime.combine(held_on, dt.time(9, 30)))
    meeting = services.meeting_create(
        actor=convener, body=body, kind=MeetingKind.REGULAR, title=f"{today.year}年度行政执法协调监督联席会议",
        starts_at=held_at, place="区政府三楼第一会议室")
    for topic, title in ((Topic.PRIORITIES, "研究本年度行政执法协调监督工作重点"),
                         (Topic.INSPECTION, "部署餐饮油烟和占道经营专项检查"),
                         (Topic.RULES, "修订行政执法案件移送工作制度")):
        services.agenda_add(actor=convener, meeting=meeting, topic=topic, title=title)
    minutes, name, size = _file("会议纪要")
    services.meeting_record_held(
        actor=convener, meeting=meeting, held_at=held_at,
        attended=[office, *[Organization.objects.get(name=n) for n in list(liaisons)[:10]]],
        summary="会议通报了上年度行政执法协调监督工作情况，研究部署了本年度工作重点和专项检查，"
                "议定事项三项。", minutes=minutes, minutes_name=name, minutes_size=size)

    def org(name: str) -> Organization:
        return Organization.objects.get(name=name)

    urban, market, housing = (org("北戴河区城市管理综合行政执法局"), org("北戴河区市场监督管理局"),
                              org("北戴河区住房和城乡建设局"))
    # 1. Closed after a sent-back report.
    closed = services.resolution_create(
        actor=convener, meeting=meeting, title="开展海滨路占道经营专项整治",
        content="城管局牵头开展海滨路沿线占道经营专项整治，建立巡查台账，报送整治情况。",
        due_on=today + dt.timedelta(days=20), departments=[urban])
    part = closed.assignments.get()
    reporter = liaisons[urban.name]
    services.assignment_report(actor=reporter, assignment=part, report="已开展巡查。")
    services.assignment_send_back(actor=convener, assignment=part,
                                  reason="未附巡查台账，整治数量和处理结果不清，请补充后重新反馈。")
    services.assignment_report(
        actor=reporter, assignment=part, files=[_file("海滨路巡查台账")],
        report="共巡查 42 次，劝导占道经营 63 起，立案查处 5 起，巡查台账附后。")
    services.assignment_accept(actor=convener, assignment=part)
    # 2. Reported, awaiting the office's acceptance.
    reported = services.resolution_create(
        actor=convener, meeting=meeting, title="开展餐饮单位食品安全专项检查",
        content="市场监管局对辖区餐饮单位开展食品安全专项检查，反馈检查和处理情况。",
        due_on=today + dt.timedelta(days=30), departments=[market])
    services.assignment_report(actor=liaisons[market.name], assignment=reported.assignments.get(),
                               report="检查餐饮单位 118 家，责令整改 9 家，立案 2 起。",
                               files=[_file("专项检查情况汇总表")])
    # 3. Due date passed without a report: overdue.
    services.resolution_create(
        actor=convener, meeting=meeting, title="报送建筑工地扬尘治理执法情况",
        content="住建局报送建筑工地扬尘治理执法检查和处罚情况。",
        due_on=min(held_on + dt.timedelta(days=15), today - dt.timedelta(days=1)) if held_on < today
        else today, departments=[housing])

    # A temporary-meeting proposal waiting for the office (M1.2 遇有特殊情况，经一方提议).
    health = org("北戴河区卫生健康局")
    services.proposal_submit(
        actor=liaisons[health.name], body=body, proposer=health, subject="暑期旅游旺季医疗机构联合执法",
        reason="暑期旅游旺季临近，无证行医和医疗美容违法问题涉及卫健、市场监管、公安等多个部门，"
               "需召开临时会议协调联合执法。")
