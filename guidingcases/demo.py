"""The demo district's guiding cases (``manage.py seed_demo``), made through the services:
three closed cases of 北戴河区市场监督管理局 nominated (meeting its yearly duty, M11.2),
reviewed by the expert ``zj`` (M11.5), approved and published by the government with
the year's numbered compilation (M11.3) — on the public portal with the parties' names
and ID numbers removed —; and one more awaiting review. 城管局 submits none, so it shows
below three (M11.4). Runs after the cases, evidence and discipline seeders; does nothing
once a guiding case exists."""
from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services as case_services
from cases.models import ActType, CaseStatus, EnforcementField, PartyKind
from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG, confirmed_record

from . import services
from .models import GuidingCase, OpinionConclusion

MARKET = "北戴河区市场监督管理局"

# (number suffix, act type, field, summary, party, title, facts, handling, significance)
CASES = [
    ("11", ActType.PENALTY, EnforcementField.FOOD_DRUG, "当事人王建国经营的海滨路小吃店使用过期原料。",
     {"kind": PartyKind.PERSON, "name": "王建国", "id_number": "130304197803121235"},
     "王建国小吃店使用超过保质期食品原料案",
     "2026年7月，执法人员在检查中发现王建国（身份证号130304197803121235）经营的小吃店后厨存放超过保质期的食用油两桶，已用于加工食品。",
     "没收违法所得和过期原料，罚款人民币五万元。",
     "旅游旺季餐饮单位集中，过期原料问题易发多发；本案明确了“用于加工”的认定标准和货值计算方法。"),
    ("12", ActType.PENALTY, EnforcementField.MARKET, "秦皇岛海韵商贸有限公司虚构原价促销。",
     {"kind": PartyKind.ORGANIZATION, "name": "秦皇岛海韵商贸有限公司", "id_number": "91130304MA0DEM401K"},
     "秦皇岛海韵商贸有限公司虚构原价案",
     "秦皇岛海韵商贸有限公司在暑期促销中标示“原价398元、现价198元”，经查该商品从未以398元销售。",
     "责令改正，罚款人民币三万元。",
     "价格欺诈社会关注度高，本案对“原价”的举证和认定具有参考意义。"),
    ("13", ActType.PENALTY, EnforcementField.FOOD_DRUG, "当事人刘海涛无证经营网红冷饮摊。",
     {"kind": PartyKind.PERSON, "name": "刘海涛", "id_number": "130304199102284410"},
     "刘海涛未取得食品经营许可从事冷饮经营案",
     "刘海涛在鸽子窝景区附近未取得食品经营许可经营冷饮摊，执法人员检查时其已停止经营并主动配合。",
     "首次违法、及时改正、危害后果轻微，依法不予行政处罚，予以教育。",
     "体现包容审慎监管，对首违不罚的适用条件作出示范，容易发生执法偏差。"),
    ("14", ActType.PENALTY, EnforcementField.MARKET, "当事人销售不合格电动车头盔。",
     {"kind": PartyKind.PERSON, "name": "赵小明", "id_number": "130304198505054519"},
     "销售不合格电动自行车头盔案",
     "赵小明在戴河镇经营的五金店销售经抽检不合格的电动自行车头盔二十顶。",
     "没收不合格产品，罚款人民币一万元。",
     "产品质量案件数量较大，本案规范了抽检结果的告知和复检程序。"),
]


def _closed_case(market: Organization, n: str, act_type, field, summary, party, officer, head):
    year = timezone.localdate().year
    case = case_services.case_register(
        actor=officer, department=market, number=f"北市监罚〔{year}〕{n}号", act_type=act_type,
        field=field, summary=summary, officers=list(User.objects.filter(username__in=["scj_zf1", "scj_zf2"])),
        discovered_at=timezone.now() - dt.timedelta(days=60),
        filed_on=timezone.localdate() - dt.timedelta(days=59), parties=[party])
    case_services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    confirmed_record(officer=officer, case=case, title=f"询问笔录（案{n}）", proves="违法事实",
                     source="执法人员现场询问当事人")
    case_services.case_record_decision(
        actor=head, case=case, decision_date=timezone.localdate(), decision_summary="依法作出处理。",
        document=ContentFile(SCAN_PNG, name="行政处罚决定书（扫描件）.png"))
    case_services.case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    return case


@register_seeder
def seed_guiding_cases() -> None:
    market = Organization.objects.filter(name=MARKET).first()
    users = {u.username: u for u in User.objects.filter(
        username__in=["scj_zf1", "scj_fz", "scj_fzr", "jdy", "zj", "zf"])}
    if market is None or len(users) != 6 or GuidingCase.objects.exists():
        return
    officer, legal, head = users["scj_zf1"], users["scj_fz"], users["scj_fzr"]
    bureau, expert, gov = users["jdy"], users["zj"], users["zf"]
    today = timezone.localdate()
    for i, (n, act, field, summary, party, title, facts, handling, significance) in enumerate(CASES):
        case = _closed_case(market, n, act, field, summary, party, officer, head)
        gc = services.guiding_case_nominate(
            actor=legal, case=case, reasons=["reason_concern", "reason_error_prone"],
            texts={"title": title, "facts": facts, "handling": handling, "significance": significance,
                   "legal_basis": "《中华人民共和国行政处罚法》"})
        if i == 3:
            continue  # the fourth waits for the bureau's review
        opinion, = services.expert_invite(actor=bureau, guiding_case=gc, experts=[expert],
                                          due_on=today + dt.timedelta(days=10))
        services.expert_opinion_submit(actor=expert, opinion=opinion, conclusion=OpinionConclusion.AGREE,
                                       text="案情清楚，定性准确，具有典型性和指导意义，同意作为指导案例发布。")
        services.guiding_case_decide(actor=bureau, guiding_case=gc, approve=True, note="经专家论证，审查通过。")
        services.guiding_case_publish(actor=gov, guiding_case=gc, in_gazette=True, in_press=i == 0,
                                      in_compilation=True, published_on=today)
    services.compilation_issue(actor=gov, year=today.year)
