"""A small district for the appraisal tests: the justice bureau, the district government,
the coordination office, two departments and a township, and a user per role that acts;
and a helper that draws up a scheme of 100 points (a scored and a computed item)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from assessment import services
from assessment.models import Appraisal, Area, Method
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member


@dataclass
class District:
    bureau: Organization
    government: Organization
    office: Organization
    market: Organization
    urban: Organization
    township: Organization
    supervisor: User
    approver: User
    clerk: User
    market_legal: User
    market_officer: User
    urban_head: User

    def scheme(self, year: int = 2026, *, computed: str = "deadline:publicity_licensing_penalty") -> Appraisal:
        appraisal = services.appraisal_create(actor=self.supervisor, year=year)
        services.item_save(actor=self.supervisor, appraisal=appraisal, area=Area.DECISIONS,
                           title="重大执法决定法制审核", weight=Decimal(60), method=Method.SCORED,
                           criteria="每件未审核扣3分。")
        services.item_save(actor=self.supervisor, appraisal=appraisal, area=Area.ENFORCEMENT,
                           title="行政处罚决定按期公示", weight=Decimal(40), method=Method.COMPUTED,
                           indicator=computed)
        return appraisal


@pytest.fixture
def district(db) -> District:
    bureau = justice_bureau()
    government = OrganizationFactory(name="区人民政府", short_name="北政", kind=OrgKind.GOVERNMENT)
    office = OrganizationFactory(name="执法协调小组办公室", short_name="北执协", kind=OrgKind.COORDINATION_OFFICE)
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    township = OrganizationFactory(name="海滨镇人民政府", short_name="北海滨", kind=OrgKind.TOWNSHIP)
    return District(
        bureau=bureau, government=government, office=office, market=market, urban=urban,
        township=township,
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员甲"),
        approver=member(Role.GOVERNMENT, government, username="zf1", real_name="区政府甲"),
        clerk=member(Role.COORDINATION_OFFICE, office, username="xtb1", real_name="协调办甲"),
        market_legal=member(Role.LEGAL_OFFICER, market, username="scjfz1", real_name="市监法制员"),
        market_officer=member(Role.OFFICER, market, username="scjzf1", real_name="市监执法员",
                              certificate_no="13030009001"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
    )
