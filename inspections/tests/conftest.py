"""A small district for the supervision-check tests: the justice bureau, two departments
(one with an internal brigade) and a township, and a user per role that acts."""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, justice_bureau, member
from evidence.tests.factories import PNG
from inspections import selectors, services
from inspections.models import Check, CheckItem, CheckKind, CheckMethod


def scan(name: str = "材料.png") -> ContentFile:
    return ContentFile(PNG, name=name)


@dataclass
class District:
    bureau: Organization
    market: Organization
    brigade: Organization
    urban: Organization
    township: Organization
    supervisor: User
    market_legal: User
    market_head: User
    urban_head: User

    def check(self, *, method=CheckMethod.SPOT_CHECK, units=None, organizer=None, actor=None,
              started=True, **fields) -> Check:
        today = timezone.localdate()
        data = {"title": "市场监管领域行政处罚专项监督检查", "kind": CheckKind.SPECIAL, "field_note": "食品安全",
                "items": [CheckItem.THREE_SYSTEMS, CheckItem.CASE_FILES, CheckItem.DECISIONS],
                "starts_on": today, "ends_on": today + dt.timedelta(days=10),
                "materials_request": "近三个月办结案卷目录。", "materials_due_on": today + dt.timedelta(days=3)}
        data.update(fields)
        actor = actor or self.supervisor
        check = services.check_create(actor=actor, organizer=organizer or self.bureau, method=method,
                                      units=units or [self.market], team=[actor], **data)
        if started:
            services.check_start(actor=actor, check=check)
        return check

    def circulated(self, check=None) -> Check:
        """A check with a finding at the market department, finished and circulated."""
        check = check or self.check()
        services.finding_add(actor=self.supervisor, check=check, unit=self.market, item=CheckItem.THREE_SYSTEMS,
                             description="2件处罚决定未按时公示。", files=[scan("公示台账.png")])
        services.check_transition(actor=self.supervisor, check=check, target="finished")
        services.check_bulletin_issue(actor=self.supervisor, check=check, summary="区司法局开展了专项检查。",
                                      requirements="各单位举一反三，开展自查。")
        check.refresh_from_db()
        return check

    def instrument(self, check, kind="supervision_notice"):
        row = check.unit_rows.get(unit=self.market)
        return services.check_instrument_issue(
            actor=self.supervisor, row=row, kind=kind, facts=selectors.instrument_facts(row),
            legal_basis="《行政执法监督条例》。", rectification="对未公示的决定立即公示。",
            deadline=timezone.localdate() + dt.timedelta(days=20), report_method="书面报告区司法局。")


@pytest.fixture(autouse=True)
def _default_standard(db):
    """The default review standard its data migration loads (a transactional test elsewhere
    in the run flushes migration data; this puts it back the way the migration does)."""
    from django.apps import apps

    importlib.import_module("inspections.migrations.0002_default_review_standard").load(apps, None)


@pytest.fixture
def district(db) -> District:
    bureau = justice_bureau()
    market = OrganizationFactory(name="区市场监督管理局", short_name="北市监")
    brigade = OrganizationFactory(name="区市场监督管理局综合执法大队", short_name="北市监队",
                                  kind=OrgKind.INTERNAL_UNIT, parent=market)
    urban = OrganizationFactory(name="区城市管理综合行政执法局", short_name="北城管")
    township = OrganizationFactory(name="海滨镇人民政府", short_name="北海滨", kind=OrgKind.TOWNSHIP)
    return District(
        bureau=bureau, market=market, brigade=brigade, urban=urban, township=township,
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员甲"),
        market_legal=member(Role.LEGAL_OFFICER, market, username="scjfz1", real_name="市监法制员"),
        market_head=member(Role.DEPARTMENT_HEAD, market, username="scjfzr1", real_name="市监局长"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr1", real_name="城管局长"),
    )
