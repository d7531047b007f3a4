"""A small district for the information-sharing tests: the justice bureau with its
supervisor, two departments and a township, and a user per role that acts."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member
from deadlines import rules
from evidence.tests.factories import PNG
from infosharing import services
from infosharing.models import CHANNEL_ITEMS, FindingState, WebInspection


def all_present() -> dict:
    return {(c, i): FindingState.PRESENT for c, items in CHANNEL_ITEMS.items() for i in items}


def png(name: str = "截图.png"):
    return io.BytesIO(PNG), name, len(PNG)


def this_quarter() -> str:
    return rules.period_bounds(rules.Unit.QUARTER, timezone.localdate())[0]


@dataclass
class District:
    bureau: Organization
    market: Organization
    urban: Organization
    township: Organization
    supervisor: User
    market_legal: User
    market_officer: User
    urban_head: User
    township_head: User

    def inspection(self) -> WebInspection:
        return services.inspection_open(actor=self.supervisor, bureau=self.bureau, period=this_quarter())

    def checked(self, problems: dict | None = None) -> WebInspection:
        """This quarter's inspection with every unit checked; ``problems``: unit → states."""
        inspection = self.inspection()
        for result in inspection.results.all():
            states = all_present()
            states.update((problems or {}).get(result.unit_id, {}))
            services.result_check(actor=self.supervisor, result=result, states=states, note="",
                                  screenshot=png())
        return inspection

    def reviewed(self, problems: dict | None = None) -> WebInspection:
        inspection = self.checked(problems)
        services.inspection_report(actor=self.supervisor, inspection=inspection)
        return services.inspection_review(actor=self.supervisor, inspection=inspection,
                                          reviewed_on=timezone.localdate(), review_body="委员会第四次会议",
                                          remarks="同意，限期整改。")

    def rectify_by(self) -> dt.date:
        return timezone.localdate() + dt.timedelta(days=20)


@pytest.fixture
def district(db) -> District:
    bureau = justice_bureau()
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    township = OrganizationFactory(name="海滨镇人民政府", short_name="北海滨", kind=OrgKind.TOWNSHIP)
    OrganizationFactory(name="区委编办", short_name="北编", kind=OrgKind.STAFFING_OFFICE)  # not inspected
    return District(
        bureau=bureau, market=market, urban=urban, township=township,
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员甲"),
        market_legal=member(Role.LEGAL_OFFICER, market, username="scjfz1", real_name="市监法制员"),
        market_officer=member(Role.OFFICER, market, username="scjzf1", real_name="市监执法员"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
        township_head=member(Role.DEPARTMENT_HEAD, township, username="hbzfzr1", real_name="海滨镇长"),
    )
