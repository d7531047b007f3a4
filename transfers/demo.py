"""Demo transfers (``manage.py seed_demo``), made through the services so each has its
audit trail, its numbered 案件移送书, its copies and its deadlines: one of each path the
supervision dashboard and the transfer pages show —

- 海滨镇 → 区市场监管局 (M15.1), sent and waiting for acceptance;
- 区市场监管局 → 区城管局 (M4.2) on the demo case 北市监检〔年〕3号, accepted;
- 区城管局 → 海滨镇 (M15.1), returned with the township's reason;
- 区市场监管局 → 公安北戴河分局 (M4.3) on the demo case 北市监罚〔年〕2号, approved by the
  head, sent with copies to the procuratorate and the justice bureau, and filed by the
  police; the penalty already decided travels with it (M4.4).

The demo case 北市监罚〔年〕1号 is not transferred: its unconfirmed evidence (evidence/demo.py)
would refuse the send (M13). Runs after the cases seeder (``transfers`` follows ``cases`` in
INSTALLED_APPS); a transfer is recognised by its sender and subject, so a second run adds
nothing.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone

from cases.models import EnforcementCase
from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG

from . import services
from .models import MaterialType, Transfer, TransferKind, TransferStatus

S = TransferStatus
MARKET = "北戴河区市场监督管理局"
URBAN = "北戴河区城市管理综合行政执法局"
HAIBIN = "北戴河区海滨镇人民政府"
POLICE = "秦皇岛市公安局北戴河分局"

# The materials M4.2/M4.3 require beside the issued letter, as scanned pages.
CASE_MATERIALS = (
    (MaterialType.INVESTIGATION_REPORT, "案件调查报告"),
    (MaterialType.ITEM_LIST, "涉案物品清单"),
    (MaterialType.INSPECTION_REPORT, "现场检查笔录及照片"),
)


@dataclass(frozen=True)
class DemoTransfer:
    kind: str
    sender: str
    receiver: str
    subject: str
    reason: str
    officer: str  # prepares, uploads and sends
    head: str  # issues the 案件移送书 (document.issue) and approves a criminal transfer
    # Where it ends, each step (target status, username of the actor, note) in order.
    steps: tuple[tuple[str, str, str], ...]
    case_number: str = ""  # "{year}" is the current year, as in cases/demo.py
    basic_facts: str = ""
    materials: tuple[tuple[str, str], ...] = ()


DEMO_TRANSFERS = (
    DemoTransfer(
        kind=TransferKind.TOWNSHIP, sender=HAIBIN, receiver=MARKET,
        subject="东经路某便利店销售超过保质期的食品",
        reason="销售超过保质期的食品由市场监督管理部门依照《中华人民共和国食品安全法》"
               "第一百二十四条查处，不在本镇承接的行政执法事项范围内。",
        basic_facts="本镇综合行政执法队日常巡查时发现，东经路某便利店货架上摆放超过保质期的"
                    "预包装饮料6瓶，已拍照固定，并告知经营者立即下架。",
        officer="hbz_zf", head="hbz_fzr",
        steps=((S.SENT, "hbz_zf", ""),),
    ),
    DemoTransfer(
        kind=TransferKind.COMPETENT, sender=MARKET, receiver=URBAN,
        case_number="北市监检〔{year}〕3号",
        subject="海滨路某餐饮店店外占道经营",
        reason="食品安全专项检查中发现该店在店外人行道摆放桌椅经营，属城市管理综合行政执法"
               "部门查处的占道经营行为，不属本局管辖。",
        officer="scj_zf1", head="scj_fzr", materials=CASE_MATERIALS,
        steps=((S.SENT, "scj_zf1", ""), (S.ACCEPTED, "cg_zf1", "")),
    ),
    DemoTransfer(
        kind=TransferKind.TOWNSHIP, sender=URBAN, receiver=HAIBIN,
        subject="海滨镇某村民在院内搭建彩钢房",
        reason="经群众举报并现场核实，认为该事项属乡镇综合行政执法承接事项，移送海滨镇人民政府处理。",
        basic_facts="某村民未取得乡村建设规划许可证，在自家院内搭建彩钢房约30平方米，"
                    "执法人员已现场拍照并制作勘验笔录。",
        officer="cg_zf1", head="cg_fzr",
        steps=((S.SENT, "cg_zf1", ""),
               (S.RETURNED, "hbz_zf",
                "经核对本镇承接的行政执法事项清单，未取得乡村建设规划许可证进行建设的查处事项"
                "尚未下放，仍由区城市管理综合行政执法局实施，予以退回。")),
    ),
    DemoTransfer(
        kind=TransferKind.CRIMINAL, sender=MARKET, receiver=POLICE,
        case_number="北市监罚〔{year}〕2号",
        subject="秦皇岛某商贸有限公司涉嫌销售假冒注册商标的商品",
        reason="检查中发现该公司库存假冒注册商标的白酒120瓶，货值金额五万余元，涉嫌销售假冒"
               "注册商标的商品罪（《中华人民共和国刑法》第二百一十四条），依照《行政执法机关"
               "移送涉嫌犯罪案件的规定》移送公安机关。",
        officer="scj_zf1", head="scj_fzr",
        materials=CASE_MATERIALS + ((MaterialType.ADMINISTRATIVE_DECISION, "行政处罚决定书"),),
        steps=((S.PENDING_APPROVAL, "scj_zf1", ""), (S.APPROVED, "scj_fzr", ""),
               (S.SENT, "scj_zf1", ""), (S.FILED, "gaj", "")),
    ),
)


def _seed_transfer(spec: DemoTransfer, orgs: dict[str, Organization],
                   users: dict[str, User]) -> Transfer | None:
    sender, receiver = orgs[spec.sender], orgs[spec.receiver]
    if Transfer.objects.filter(sender=sender, subject=spec.subject).exists():
        return None
    case = None
    if spec.case_number:
        case = EnforcementCase.objects.filter(
            department=sender, number=spec.case_number.format(year=timezone.localdate().year)).first()
        if case is None:  # the cases seeder did not create it (or it was renumbered)
            return None
    officer = users[spec.officer]
    transfer = services.transfer_create(
        actor=officer, kind=spec.kind, sender=sender, receiver=receiver, case=case,
        subject=spec.subject, reason=spec.reason, basic_facts=spec.basic_facts,
        discovered_at=(timezone.now() - dt.timedelta(hours=3)
                       if spec.kind == TransferKind.TOWNSHIP else None))
    for material_type, title in spec.materials:
        services.transfer_material_add(
            actor=officer, transfer=transfer, material_type=material_type,
            fileobj=io.BytesIO(SCAN_PNG), name=f"{title}（扫描件）.png", size=len(SCAN_PNG),
            description=title)
    # The letter lists the materials present, so it is issued after them.
    services.transfer_letter_issue(actor=users[spec.head], transfer=transfer)
    for target, actor, note in spec.steps:
        services.transfer_transition(actor=users[actor], transfer=transfer, target=target,
                                     note=note)
    return transfer


@register_seeder
def seed_transfers() -> None:
    names = {name for spec in DEMO_TRANSFERS for name in (spec.sender, spec.receiver)}
    orgs = {org.name: org for org in Organization.objects.filter(name__in=names)}
    usernames = {u for spec in DEMO_TRANSFERS
                 for u in (spec.officer, spec.head, *(actor for _t, actor, _n in spec.steps))}
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    if set(orgs) != names or set(users) != usernames:
        return
    for spec in DEMO_TRANSFERS:
        _seed_transfer(spec, orgs, users)
