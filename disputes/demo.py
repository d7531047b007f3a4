"""The demo district's disputes (``manage.py seed_demo``), made through the services so each
has its audit trail, notifications, deadlines and documents:

- 职责: 市场监管局 and 城管局 over street food stalls — settled by an agreement both
  confirmed (M2.1);
- 标准: 城管局 and 市场监管局 over outdoor advertising — coordination failed, the written
  recommendation issued, awaiting the district government's ruling (M2.4);
- 程序: 市场监管局 and 城管局 over joint seizure procedure — accepted, written opinions
  asked, one in and one still owed (M2.1);
- 管辖: 海滨镇 and 城管局 over a seafront shed (M15.6) — ruled by the district government,
  海滨镇 has reported carrying it out, 城管局 not yet;
- a draft of 城管局 with its negotiation not yet recorded.

Runs after the core seeder (``disputes`` is last in INSTALLED_APPS); does nothing once a
dispute exists.
"""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG

from . import services
from .models import Dispute, DisputeKind

MARKET, URBAN, TOWNSHIP = "北戴河区市场监督管理局", "北戴河区城市管理综合行政执法局", "北戴河区海滨镇人民政府"


def _negotiated(dispute: Dispute, actor: User, positions: dict[str, str], on: dt.date) -> None:
    for party in dispute.parties.select_related("organization"):
        services.negotiation_add(actor=actor, dispute=dispute, party=party, negotiated_on=on,
                                 representatives=f"{party.organization.short_name}法制科负责人",
                                 position=positions[party.organization.name])


@register_seeder
def seed_disputes() -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in=["jdy", "zf", "scj_fzr", "cg_fzr", "hbz_fzr"])}
    orgs = {o.name: o for o in Organization.objects.filter(name__in=[MARKET, URBAN, TOWNSHIP])}
    if len(users) < 5 or len(orgs) < 3 or Dispute.objects.exists():
        return
    bureau, government = users["jdy"], users["zf"]
    market_head, urban_head, township_head = users["scj_fzr"], users["cg_fzr"], users["hbz_fzr"]
    market, urban, township = orgs[MARKET], orgs[URBAN], orgs[TOWNSHIP]
    today = timezone.localdate()
    week_ago = today - dt.timedelta(days=7)

    def party(dispute, org):
        return dispute.parties.get(organization=org)

    # 1. Settled by agreement.
    settled = services.dispute_create(
        actor=market_head, applicant=market, kind=DisputeKind.DUTY, subject="海滨路流动食品摊贩监管职责",
        facts="海滨路沿线流动摊贩占道销售自制食品。市场监管局认为属占道经营，城管局认为涉及食品安全。",
        others=[urban])
    _negotiated(settled, market_head, {MARKET: "占道经营行为应由城管局查处。",
                                       URBAN: "销售自制食品涉及食品安全，应由市场监管局查处。"}, week_ago)
    services.dispute_file(actor=market_head, dispute=settled)
    services.dispute_accept(actor=bureau, dispute=settled)
    services.meeting_record(actor=bureau, dispute=settled, held_at=timezone.now() - dt.timedelta(hours=3),
                            place="区司法局第二会议室", attendees="区司法局、市场监管局、城管局法制科负责人",
                            summary="双方同意按行为性质分工查处，建立移送和通报机制。")
    services.agreement_record(
        actor=bureau, dispute=settled,
        agreement="占道经营行为由城管局查处；食品安全由市场监管局监督检查；发现属对方职责的，三个工作日内移送。")
    services.agreement_confirm(actor=market_head, party=party(settled, market))
    services.agreement_confirm(actor=urban_head, party=party(settled, urban))

    # 2. Coordination failed: the written recommendation, awaiting the government's ruling.
    submitted = services.dispute_create(
        actor=urban_head, applicant=urban, kind=DisputeKind.STANDARD, subject="户外广告设置违法认定标准",
        facts="对商户门头广告超出规定尺寸的认定，城管局与市场监管局适用的标准不一致。",
        others=[market])
    _negotiated(submitted, urban_head, {URBAN: "应适用本市户外广告设置技术规范。",
                                        MARKET: "应适用广告法及其配套规定，尺寸问题不属广告内容违法。"}, week_ago)
    services.dispute_file(actor=urban_head, dispute=submitted)
    services.dispute_accept(actor=bureau, dispute=submitted)
    services.opinion_request(actor=bureau, dispute=submitted, due_on=today)
    services.opinion_submit(actor=urban_head, party=party(submitted, urban), opinion="坚持适用技术规范。")
    services.opinion_submit(actor=market_head, party=party(submitted, market), opinion="坚持适用广告法。")
    services.recommendation_issue(
        actor=bureau, dispute=submitted,
        process="我局受理后征求了双方书面意见，双方各持己见，未能达成一致。",
        disagreement="双方对门头广告尺寸违规应适用的认定标准认识不一致。",
        recommendation="建议由区政府明确门头广告尺寸违规统一适用本市户外广告设置技术规范，由城管局查处。")

    # 3. Opinion-gathering: one opinion in, one owed.
    gathering = services.dispute_create(
        actor=market_head, applicant=market, kind=DisputeKind.PROCEDURE, subject="联合查扣物品的保管程序",
        facts="联合执法中查扣的物品由哪一方制作清单并保管，双方意见不一。", others=[urban])
    _negotiated(gathering, market_head, {MARKET: "由主办部门保管。", URBAN: "由现场查扣部门保管。"}, today)
    services.dispute_file(actor=market_head, dispute=gathering)
    services.dispute_accept(actor=bureau, dispute=gathering)
    services.opinion_request(actor=bureau, dispute=gathering, due_on=today + dt.timedelta(days=5))
    services.opinion_submit(actor=market_head, party=party(gathering, market),
                            opinion="查扣物品应由案件主办部门制作清单并保管。")

    # 4. M15.6: a jurisdiction dispute between a township and a department, ruled.
    jurisdiction = services.dispute_create(
        actor=township_head, applicant=township, kind=DisputeKind.JURISDICTION,
        subject="海滨浴场沿线违章搭建管辖", facts="海滨浴场沿线新建彩钢棚，镇政府与城管局对管辖存在争议。",
        others=[urban])
    _negotiated(jurisdiction, township_head, {TOWNSHIP: "违章搭建查处权未划转乡镇，应由城管局管辖。",
                                              URBAN: "属乡镇划转事项，应由镇政府管辖。"}, week_ago)
    services.dispute_file(actor=township_head, dispute=jurisdiction)
    services.dispute_accept(actor=bureau, dispute=jurisdiction)
    services.recommendation_issue(
        actor=bureau, dispute=jurisdiction, process="经协调，双方仍无法达成一致。",
        disagreement="双方对违章搭建查处权是否已划转乡镇认识不一致。",
        recommendation="建议依据乡镇行政处罚事项划转目录，确定由海滨镇人民政府管辖。")
    services.ruling_record(
        actor=government, dispute=jurisdiction, competent=township,
        ruling="依据划转目录，海滨浴场沿线违章搭建由海滨镇人民政府管辖，城管局提供技术支持。",
        implement_due=today + dt.timedelta(days=10),
        document=(io.BytesIO(SCAN_PNG), "区政府裁决文书（扫描件）.png", len(SCAN_PNG)))
    services.implementation_report(actor=township_head, party=party(jurisdiction, township),
                                   report="已立案查处，责令当事人拆除彩钢棚。")

    # 5. A draft whose negotiation is not yet recorded.
    services.dispute_create(
        actor=urban_head, applicant=urban, kind=DisputeKind.BASIS, subject="共享单车乱停放处罚依据",
        facts="对共享单车企业乱停放的处罚，适用的法规依据不明确。", others=[market])
