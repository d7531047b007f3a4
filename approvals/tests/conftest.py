"""A small district for the approval–supervision tests: the approval bureau, two
supervising departments with an officer each, and the justice bureau's supervisor."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest

from approvals import intake, services
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, member, supervisor


@dataclass
class District:
    approval: Organization
    market: Organization
    health: Organization
    approver: User
    market_officer: User
    health_officer: User
    supervisor: User

    def route(self, item_type="食品经营许可", department=None):
        return services.route_save(actor=self.approver, item_type=item_type,
                                   department=department or self.market)

    def receive(self, *items):
        return services.decisions_receive(actor=self.approver, items=list(items))


def decision_data(n: int = 1, **overrides) -> dict:
    data = {"number": f"北审批〔2026〕{n}号", "item_type": "食品经营许可",
            "item_name": "食品经营许可证核发", "applicant": f"北戴河区海滨餐饮店{n}",
            "credit_code": f"92130304MA0{n:07d}", "address": "北戴河区海宁路1号",
            "decided_on": "2026-09-28", "valid_until": "2031-09-27", "content": "准予许可"}
    data.update(overrides)
    return data


def csv_file(rows: list[dict]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(intake.template_headers())
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in intake.COLUMNS])
    return io.BytesIO(text.getvalue().encode("utf-8"))


@pytest.fixture
def district(db) -> District:
    approval = OrganizationFactory(name="区行政审批局", short_name="北审批", kind=OrgKind.APPROVAL_BUREAU)
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    health = OrganizationFactory(name="区卫生健康局", short_name="北卫健")
    return District(
        approval=approval, market=market, health=health,
        approver=member(Role.APPROVAL_STAFF, approval, username="spj1", real_name="审批员甲"),
        market_officer=member(Role.OFFICER, market, username="scj1", real_name="市监执法员",
                              certificate_no="13030000001"),
        health_officer=member(Role.OFFICER, health, username="wj1", real_name="卫健执法员"),
        supervisor=supervisor(),
    )


@pytest.fixture
def beijing():
    """A moment in Beijing time (aware)."""
    from zoneinfo import ZoneInfo

    return lambda *args: dt.datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))
