"""A small district for the accountability and exemption tests: two departments with an
officer, a legal officer and a head each, the justice bureau's supervisor and the
discipline commission."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from accountability import services
from accountability.models import Ground, Proceeding
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member


@dataclass
class District:
    market: Organization
    urban: Organization
    commission: Organization
    officer: User
    colleague: User
    legal: User
    head: User
    urban_officer: User
    urban_head: User
    supervisor: User
    discipline: User

    def proceeding(self, **kwargs) -> Proceeding:
        data = dict(actor=self.legal, agency=self.market, subject="投诉举报逾期未处理",
                    officers=[self.officer], ground=Ground.NOT_PERFORMED,
                    facts="群众举报某超市销售过期食品，承办人员逾期未核查处理。")
        data.update(kwargs)
        return services.proceeding_open(**data)


@pytest.fixture
def district(db) -> District:
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    commission = OrganizationFactory(name="区纪委监委", short_name="北纪", kind=OrgKind.DISCIPLINE)
    return District(
        market=market, urban=urban, commission=commission,
        officer=member(Role.OFFICER, market, username="scj1", real_name="市监执法员甲",
                       certificate_no="13030001001"),
        colleague=member(Role.OFFICER, market, username="scj2", real_name="市监执法员乙"),
        legal=member(Role.LEGAL_OFFICER, market, username="scjfz", real_name="市监法制员"),
        head=member(Role.DEPARTMENT_HEAD, market, username="scjfzr", real_name="市监局长"),
        urban_officer=member(Role.OFFICER, urban, username="cg1", real_name="城管执法员"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr", real_name="城管局长"),
        supervisor=member(Role.SUPERVISOR, justice_bureau(), username="jdy1", real_name="监督员"),
        discipline=member(Role.DISCIPLINE, commission, username="jw1", real_name="纪检干部"),
    )
