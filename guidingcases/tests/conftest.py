"""A small district for the guiding-case tests: a department with a closed case on a
named party, the justice bureau, the government and the expert pool."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from cases.models import CaseStatus, EnforcementCase, PartyKind
from cases.testing import make_case, party_data
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member

NAME, ID_NUMBER = "王建国", "130304197803121235"
COMPANY, CREDIT = "秦皇岛海韵商贸有限公司", "91130304MA0DEM401K"


@dataclass
class District:
    market: Organization
    urban: Organization
    bureau: Organization
    government: Organization
    pool: Organization
    legal: User  # the market bureau's legal officer (nominates)
    urban_head: User
    supervisor: User
    expert: User
    expert2: User
    gov: User

    def closed_case(self, department=None, **fields) -> EnforcementCase:
        department = department or self.market
        return make_case(department, status=CaseStatus.CLOSED, parties=[
            party_data(name=NAME, id_number=ID_NUMBER),
            party_data(kind=PartyKind.ORGANIZATION, name=COMPANY, id_number=CREDIT)], **fields)


TEXTS = {
    "title": f"{NAME}小吃店使用过期原料案",
    "facts": f"{NAME}（身份证号{ID_NUMBER}）经营的小吃店使用过期食用油，供货方为{COMPANY}（{CREDIT}），联系电话13903351234。",
    "handling": f"对{NAME}罚款五万元。",
    "significance": "明确了“用于加工”的认定标准。",
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
}


@pytest.fixture
def district(db) -> District:
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    bureau = justice_bureau()
    government = OrganizationFactory(name="区人民政府", short_name="北政", kind=OrgKind.GOVERNMENT)
    pool = OrganizationFactory(name="专家库", short_name="北专家", kind=OrgKind.EXPERT_POOL)
    return District(
        market=market, urban=urban, bureau=bureau, government=government, pool=pool,
        legal=member(Role.LEGAL_OFFICER, market, username="scjfz", real_name="市监法制员"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr", real_name="城管局长"),
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员甲"),
        expert=member(Role.EXPERT, pool, username="zj1", real_name="专家甲"),
        expert2=member(Role.EXPERT, pool, username="zj2", real_name="专家乙"),
        gov=member(Role.GOVERNMENT, government, username="zf1", real_name="政府工作人员"),
    )
