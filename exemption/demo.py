"""The demo district's duty-performance exemption records (``manage.py seed_demo``), made
through the services:

- two interference records of the market supervision bureau's officer 市场监管执法员甲
  (M12.2): a call from a businessman's relative asking to drop a food-safety case, refused;
  and a correction of it (the call's time was recorded wrong) — the first stays as it was;
- a proceeding against the same officer after a gas explosion at a restaurant he had
  inspected, in which his claim of lawful performance — the accident had no direct link
  to the duty he performed (M12.3) — is accepted by the head: closed as 依法履职免责.

Runs after the accountability seeder; does nothing once a record exists.
"""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from accountability import services as accountability_services
from accountability.models import Ground
from cases.models import EnforcementCase
from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG

from . import services
from .models import ExemptionGround, InterferenceKind, InterferenceMethod, InterferenceRecord

MARKET = "北戴河区市场监督管理局"


@register_seeder
def seed_exemption() -> None:
    market = Organization.objects.filter(name=MARKET).first()
    users = {u.username: u for u in User.objects.filter(username__in=["scj_zf1", "scj_fz", "scj_fzr"])}
    if market is None or len(users) != 3 or InterferenceRecord.objects.exists():
        return
    officer, legal, head = users["scj_zf1"], users["scj_fz"], users["scj_fzr"]
    case = EnforcementCase.objects.filter(
        department=market, number=f"北市监罚〔{timezone.localdate().year}〕1号").first()
    call = timezone.now() - dt.timedelta(days=3, hours=2)
    fields = dict(
        unit=market, kind=InterferenceKind.CASE_MEDDLING, interferer_name="赵某",
        interferer_unit="秦皇岛某商贸有限公司", interferer_position="当事人亲属",
        method=InterferenceMethod.PHONE,
        demand="来电称与局领导熟识，要求对当事人销售超过保质期食品一案“高抬贵手”，不予立案处罚。",
        refused=True, response="当场拒绝，告知案件依法办理，并向科室负责人报告。", case=case)
    first = services.interference_record(
        actor=officer, occurred_at=call, **fields,
        files=[(io.BytesIO(SCAN_PNG), "来电记录截图.png", len(SCAN_PNG))])
    services.interference_record(
        actor=officer, occurred_at=call - dt.timedelta(hours=20), **fields, corrects=first,
        correction_reason="来电时间记录有误：实为前一日下午，以通话记录为准。")

    proceeding = accountability_services.proceeding_open(
        actor=legal, agency=market, subject="某餐馆燃气爆燃事故责任追究",
        officers=[officer], ground=Ground.NOT_PERFORMED,
        facts="某餐馆发生燃气爆燃事故，该餐馆曾由承办人员进行食品安全日常检查，有群众反映检查不到位。")
    claim = services.exemption_claim_submit(
        actor=officer, proceeding=proceeding, ground=ExemptionGround.NO_DIRECT_LINK,
        statement="本人依照食品安全日常检查事项清单对该餐馆进行检查并如实记录；燃气设施安全不属于"
                  "市场监管部门的检查事项，事故系餐馆自行改装燃气管道所致，与本人履职行为无直接关系。")
    services.exemption_claim_decide(
        actor=head, claim=claim, accept=True,
        reason="经核查检查记录和事故调查报告，承办人员严格依据监管责任和履职标准履行检查职责，"
               "事故原因与其履职行为之间不存在直接关系，依法不予追究责任。")
