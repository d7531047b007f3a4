"""Demo cases (``manage.py seed_demo``), registered through the services so each has its
audit trail and deadlines: the case pages, the evidence and discipline panels and the
publicity timer have something to show on first start."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, User

from . import services
from .models import ActType, CaseStatus, EnforcementCase, EnforcementField, PartyKind

MARKET = "北戴河区市场监督管理局"
URBAN = "北戴河区城市管理综合行政执法局"


def _register(org: Organization, number: str, actor: str, officers: list[str], **data) -> EnforcementCase | None:
    if EnforcementCase.objects.filter(department=org, number=number).exists():
        return None
    today = timezone.localdate()
    return services.case_register(
        actor=User.objects.get(username=actor), department=org, number=number,
        officers=list(User.objects.filter(username__in=officers)),
        discovered_at=timezone.now() - dt.timedelta(days=6), filed_on=today - dt.timedelta(days=5),
        **data)


@register_seeder
def seed_cases() -> None:
    market = Organization.objects.filter(name=MARKET).first()
    urban = Organization.objects.filter(name=URBAN).first()
    if market is None or urban is None:
        return
    year = timezone.localdate().year
    _register(market, f"北市监罚〔{year}〕1号", "scj_zf1", ["scj_zf1", "scj_zf2"],
              act_type=ActType.PENALTY, field=EnforcementField.FOOD_DRUG,
              summary="当事人在海滨路门店销售超过保质期的预包装食品。",
              parties=[{"kind": PartyKind.PERSON, "name": "张某", "id_number": "130304198203154518",
                        "political_status": "cpc_member", "employer": "北戴河区某街道办事处",
                        "post": "科员", "is_party_member": True, "is_state_functionary": True}])
    decided = _register(market, f"北市监罚〔{year}〕2号", "scj_zf2", ["scj_zf1", "scj_zf2"],
                        act_type=ActType.PENALTY, field=EnforcementField.MARKET,
                        summary="某商贸有限公司未明码标价。",
                        parties=[{"kind": PartyKind.ORGANIZATION, "name": "秦皇岛某商贸有限公司",
                                  "id_number": "91130304MA0DEM312X"}])
    if decided is not None:
        # Investigated here; decided by the evidence seeder (evidence/demo.py), which first
        # registers the confirmed evidence a penalty decision needs (M13).
        officer = User.objects.get(username="scj_zf2")
        services.case_transition(case=decided, target=CaseStatus.INVESTIGATING, actor=officer)
    _register(market, f"北市监检〔{year}〕3号", "scj_zf1", ["scj_zf1"],
              act_type=ActType.INSPECTION, field=EnforcementField.FOOD_DRUG,
              summary="对辖区餐饮单位开展食品安全专项检查。", parties=[])
    _register(urban, f"北城管罚〔{year}〕1号", "cg_zf1", ["cg_zf1", "cg_fzr"],
              act_type=ActType.PENALTY, field=EnforcementField.URBAN,
              summary="当事人占道经营，经劝阻拒不改正。",
              parties=[{"kind": PartyKind.PERSON, "name": "李某", "id_number": "130304197707074512"}])
