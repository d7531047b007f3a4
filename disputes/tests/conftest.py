"""A small district for the dispute tests: the justice bureau, the district government,
two departments and a township, and a user per role that acts."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member
from disputes import services
from disputes.models import Dispute, DisputeKind
from evidence.tests.factories import PNG


@dataclass
class District:
    bureau: Organization
    government: Organization
    market: Organization
    urban: Organization
    township: Organization
    supervisor: User
    ruler: User
    market_head: User
    urban_head: User
    township_head: User
    stranger: User

    def draft(self, *, kind=DisputeKind.DUTY, applicant=None, others=None, actor=None) -> Dispute:
        return services.dispute_create(
            actor=actor or self.market_head, applicant=applicant or self.market, kind=kind,
            subject="流动食品摊贩监管职责", facts="双方均认为不属本单位职责。",
            others=others or [self.urban])

    def negotiate(self, dispute: Dispute, actor=None) -> Dispute:
        for party in dispute.parties.all():
            services.negotiation_add(actor=actor or self.market_head, dispute=dispute, party=party,
                                     negotiated_on=timezone.localdate(),
                                     representatives="法制科科长", position="不属本单位职责。")
        return dispute

    def filed(self, **kwargs) -> Dispute:
        dispute = self.negotiate(self.draft(**kwargs), actor=kwargs.get("actor"))
        return services.dispute_file(actor=kwargs.get("actor") or self.market_head, dispute=dispute)

    def coordinating(self, **kwargs) -> Dispute:
        return services.dispute_accept(actor=self.supervisor, dispute=self.filed(**kwargs))

    def submitted(self, **kwargs) -> Dispute:
        return services.recommendation_issue(
            actor=self.supervisor, dispute=self.coordinating(**kwargs), process="协调会未达成一致。",
            disagreement="双方对监管主体认识不一致。", recommendation="建议由城管局负责。")

    def rule(self, dispute: Dispute, competent=None) -> Dispute:
        return services.ruling_record(
            actor=self.ruler, dispute=dispute, ruling="由城管局负责查处。", competent=competent,
            implement_due=timezone.localdate() + dt.timedelta(days=10),
            document=(io.BytesIO(PNG), "裁决文书.png", len(PNG)))


@pytest.fixture
def district(db) -> District:
    bureau = justice_bureau()
    government = OrganizationFactory(name="北戴河区人民政府", short_name="北政", kind=OrgKind.GOVERNMENT)
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    township = OrganizationFactory(name="海滨镇人民政府", short_name="北海滨", kind=OrgKind.TOWNSHIP)
    return District(
        bureau=bureau, government=government, market=market, urban=urban, township=township,
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员甲"),
        ruler=member(Role.GOVERNMENT, government, username="zf1", real_name="区政府甲"),
        market_head=member(Role.DEPARTMENT_HEAD, market, username="scjfzr1", real_name="市监局长"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
        township_head=member(Role.DEPARTMENT_HEAD, township, username="hbzfzr1", real_name="海滨镇长"),
        stranger=member(Role.DEPARTMENT_HEAD, username="wg1", real_name="无关局长"),
    )
