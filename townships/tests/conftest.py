"""One record of each township section, made through the services, between a township
and a district department (M15)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, member
from townships import services
from transfers.models import TransferKind
from transfers import services as transfer_services



@pytest.fixture
def world(db):
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="海滨镇人民政府", short_name="海滨镇")
    department = OrganizationFactory(name="北戴河区住房和城乡建设局", short_name="区住建局")
    government = OrganizationFactory(kind=OrgKind.GOVERNMENT, name="北戴河区人民政府", short_name="区政府")
    w = SimpleNamespace(
        township=township, department=department, government=government,
        town_head=member(Role.DEPARTMENT_HEAD, township),
        town_officer=member(Role.OFFICER, township),
        dept_officer=member(Role.OFFICER, department),
        dept_head=member(Role.DEPARTMENT_HEAD, department),
        ruler=member(Role.GOVERNMENT, government),
        stranger=member(Role.OFFICER, OrganizationFactory(name="无关的区市场监管局")),
    )
    now = timezone.now()
    w.transfer = transfer_services.transfer_create(
        actor=w.town_head, kind=TransferKind.TOWNSHIP, sender=township, receiver=department,
        subject="违规搭建彩钢房", reason="属住建部门管辖", basic_facts="某户在屋顶搭建彩钢房。",
        discovered_at=now - dt.timedelta(hours=3))
    w.dissuasion = services.dissuasion_record(
        actor=w.town_officer, township=township, competent=department, location="海滨路 12 号",
        violation="夜间违规施工", measures="现场劝阻，已停工", dissuaded_at=now)
    w.consultation = services.consultation_create(
        actor=w.town_head, kind="consultation", topic="hot", initiator=township,
        participants=[department], subject="旺季违建治理", content="旺季集中整治违建",
        meeting_at=now)
    w.notice = services.info_notice_publish(
        actor=w.town_head, sender=township, recipients=[department], title="旺季执法信息",
        body="本月巡查情况")
    return w
