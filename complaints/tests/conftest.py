"""A small district for the complaint tests: two departments, a township and the justice
bureau, a user per role that acts, and helpers that register entries through the
services."""
from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Channel, ComplaintKind
from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
       b"\x00\x00IEND\xaeB`\x82")
COMPLAINANT = "岳明远"
ID_NUMBER = "130304199001011234"
PHONE = "13912345678"


def png(name: str = "照片.png") -> tuple[io.BytesIO, str, int]:
    return io.BytesIO(PNG), name, len(PNG)


@pytest.fixture
def district(db):
    market = OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")
    urban = OrganizationFactory(name="北戴河区城市管理综合行政执法局", short_name="北城管")
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="北戴河区海滨镇人民政府", short_name="北海滨")
    bureau = justice_bureau()
    d = SimpleNamespace(
        market=market, urban=urban, township=township, bureau=bureau,
        officer=member(Role.OFFICER, market, username="scj1", real_name="市监执法员"),
        head=member(Role.DEPARTMENT_HEAD, market, username="scjfzr", real_name="市监负责人"),
        urban_officer=member(Role.OFFICER, urban, username="cg1", real_name="城管执法员"),
        urban_head=member(Role.DEPARTMENT_HEAD, urban, username="cgfzr", real_name="城管负责人"),
        town_officer=member(Role.OFFICER, township, username="hbz1", real_name="海滨镇执法员"),
        town_head=member(Role.DEPARTMENT_HEAD, township, username="hbzfzr", real_name="海滨镇负责人"),
        supervisor=member(Role.SUPERVISOR, bureau, username="jdy1", real_name="监督员"),
        stranger=member(Role.OFFICER, OrganizationFactory(name="北戴河区水务局"), username="sw1"),
    )

    def register(unit=None, actor=None, **fields):
        fields.setdefault("kind", ComplaintKind.COMPLAINT)
        fields.setdefault("channel", Channel.PHONE)
        fields.setdefault("received_at", timezone.now() - dt.timedelta(hours=1))
        fields.setdefault("matter", "海滨路烧烤店夜间占道经营，油烟扰民。")
        fields.setdefault("complainant_name", COMPLAINANT)
        fields.setdefault("complainant_id_number", ID_NUMBER)
        fields.setdefault("complainant_phone", PHONE)
        return services.complaint_register(actor=actor or d.officer, unit=unit or market, **fields)

    d.register = register
    return d
