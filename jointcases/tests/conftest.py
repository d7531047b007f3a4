"""A small district for the joint case handling tests: 城管局 leads, 市场监管局 and 海滨镇
take part, 卫健局 stands outside; 司法局 supervises."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cases.testing import certified_officer
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, member, supervisor
from evidence.tests.factories import PNG
from jointcases import services
from jointcases.models import JointOperation


@dataclass
class District:
    urban: Organization
    market: Organization
    township: Organization
    health: Organization
    urban_head: User
    market_head: User
    market_officer: User
    township_officer: User
    health_officer: User
    supervisor: User

    def operation(self) -> JointOperation:
        today = timezone.localdate()
        return services.operation_create(
            actor=self.urban_head, lead=self.urban, title="海滨路食品摊点联合整治", field="food_drug",
            scope="整治无证食品摊贩。", starts_on=today, ends_on=today + dt.timedelta(days=30),
            participants=[self.market, self.township])

    def ready(self) -> JointOperation:
        """An operation with both plans written and every participant confirmed."""
        op = self.operation()
        services.operation_plans_save(actor=self.urban_head, operation=op, work_plan="分工与步骤。",
                                      emergency_plan="突发情况处置。", work_plan_upload=png("工作方案"),
                                      emergency_plan_upload=png("应急预案"))
        for unit, user in ((self.market, self.market_head), (self.township, self.township_officer)):
            services.participant_confirm(actor=user, participant=op.participants.get(unit=unit))
        return op


def png(title: str) -> tuple[io.BytesIO, str, int]:
    return io.BytesIO(PNG), f"{title}.png", len(PNG)


@pytest.fixture
def district(db) -> District:
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    township = OrganizationFactory(name="海滨镇人民政府", short_name="北海滨", kind=OrgKind.TOWNSHIP)
    health = OrganizationFactory(name="区卫生健康局", short_name="北卫健")
    return District(
        urban=urban, market=market, township=township, health=health,
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
        market_head=member(Role.DEPARTMENT_HEAD, market, username="scjfzr1", real_name="市监局长"),
        market_officer=certified_officer(market, username="scj1", real_name="市监执法员"),
        township_officer=certified_officer(township, username="hbz1", real_name="海滨镇执法员"),
        health_officer=certified_officer(health, username="wj1", real_name="卫健执法员"),
        supervisor=supervisor(),
    )
