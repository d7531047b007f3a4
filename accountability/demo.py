"""The demo district's accountability proceedings (``manage.py seed_demo``), made through
the services so each has its audit trail and its time to determine (M8):

- from a discipline-referral source (M10.4): the urban management bureau's case
  北城管罚〔年〕2号 on a state functionary is closed and its referral judged to hold no
  discipline matter; the bureau opens a proceeding from that lead — open, to determine;
- the market supervision bureau's proceeding against an officer who left a complaint
  unhandled: fault determined, administrative handling, concluded with its decision;
- one recorded as reserved to the supervisory organ (M8.4) and not processed.

The proceeding with an exemption claim (M12.3) is the exemption seeder's. Runs after the
cases, evidence and discipline seeders; does nothing once a proceeding exists.
"""
from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services as case_services
from cases.models import ActType, CaseStatus, EnforcementField, PartyKind
from core.demo import register_seeder
from core.models import Organization, User
from discipline import services as discipline_services
from discipline.models import DisciplineReferral
from evidence.demo import SCAN_PNG, confirmed_record

from . import services
from .models import Ground, Proceeding, ReservedTo, Route

URBAN = "北戴河区城市管理综合行政执法局"
MARKET = "北戴河区市场监督管理局"


def _referral_failure(urban: Organization, officer: User, head: User) -> DisciplineReferral:
    """A closed penalty case on a state functionary whose referral was judged to hold no
    discipline matter (an M10.4 lead the bureau must answer for)."""
    case = case_services.case_register(
        actor=officer, department=urban, number=f"北城管罚〔{timezone.localdate().year}〕2号",
        act_type=ActType.PENALTY, field=EnforcementField.URBAN,
        summary="当事人擅自在海滨公园周边设置户外广告牌。",
        discovered_at=timezone.now() - dt.timedelta(days=8),
        filed_on=timezone.localdate() - dt.timedelta(days=7), officers=[officer, head],
        parties=[{"kind": PartyKind.PERSON, "name": "王某", "id_number": "130304198507214516",
                  "employer": "北戴河区某镇人民政府", "post": "科员", "is_state_functionary": True}])
    case_services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    confirmed_record(officer=officer, case=case, title="询问笔录（王某）",
                     proves="当事人擅自设置户外广告牌的事实", source="执法人员现场询问当事人")
    case_services.case_record_decision(
        actor=head, case=case, decision_date=timezone.localdate(),
        decision_summary="责令限期拆除，并处罚款一千元。", penalty_amount=1000,
        document=ContentFile(SCAN_PNG, name="行政处罚决定书（扫描件）.png"))
    case_services.case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    referral = DisciplineReferral.objects.get(case=case)
    return discipline_services.referral_close_no_matter(
        actor=head, referral=referral, reason="当事人已辞去公职，经研判不再移送。")


@register_seeder
def seed_accountability() -> None:
    urban = Organization.objects.filter(name=URBAN).first()
    market = Organization.objects.filter(name=MARKET).first()
    users = {u.username: u for u in User.objects.filter(
        username__in=["cg_zf1", "cg_fzr", "scj_zf2", "scj_fz", "scj_fzr"])}
    if urban is None or market is None or len(users) != 5 or Proceeding.objects.exists():
        return
    referral = _referral_failure(urban, users["cg_zf1"], users["cg_fzr"])
    services.proceeding_open(
        actor=users["cg_fzr"], agency=urban, subject=f"案件{referral.case.number}违纪线索未移送",
        officers=[users["cg_zf1"]], ground=Ground.IMPROPER,
        facts="当事人王某系国家公职人员，受到行政处罚后，承办人员以其已辞去公职为由未移送违纪线索，"
              "辞职情况未经核实。",
        source_kind="discipline_referral", source_id=referral.pk)

    concluded = services.proceeding_open(
        actor=users["scj_fz"], agency=market, subject="投诉举报逾期未处理",
        officers=[users["scj_zf2"]], ground=Ground.NOT_PERFORMED,
        facts="群众举报某超市销售过期食品，承办人员超过法定期限未核查处理，亦未告知举报人。")
    services.proceeding_determine(
        actor=users["scj_fzr"], proceeding=concluded, liable=True, route=Route.ADMINISTRATIVE,
        fault_determination="承办人员未在规定期限内核查处理投诉举报，属于未履行法定职责，情节较轻，"
                            "未造成严重后果，认定负有过错责任。")
    services.proceeding_conclude(
        actor=users["scj_fz"], proceeding=concluded, outcome="诫勉谈话，责令作出书面检查。",
        outcome_organ="", document=io.BytesIO(SCAN_PNG),
        document_name="行政执法过错责任处理决定（扫描件）.png", document_size=len(SCAN_PNG))

    reserved = services.proceeding_open(
        actor=users["scj_fz"], agency=market, subject="执法人员涉嫌收受当事人财物",
        officers=[users["scj_zf2"]], ground=Ground.ILLEGAL,
        facts="有群众反映执法人员在检查中收受当事人购物卡。")
    services.proceeding_reserve(
        actor=users["scj_fz"], proceeding=reserved, reserved_to=ReservedTo.SUPERVISORY,
        reason="涉嫌职务违法，依法由监察机关处理，已将问题线索移送区纪委监委。")
